// The shared uitgo.common.v1 types in one namespace. Listed by name because every generated
// file also exports helpers (protobufPackage, DeepPartial, MessageFns) that would clash.
export { LatLng } from './gen/uitgo/common/v1/geo.js';
export { Money } from './gen/uitgo/common/v1/money.js';
export { Role, roleFromJSON, roleToJSON } from './gen/uitgo/common/v1/role.js';
export { VehicleType, vehicleTypeFromJSON, vehicleTypeToJSON } from './gen/uitgo/common/v1/vehicle_type.js';
