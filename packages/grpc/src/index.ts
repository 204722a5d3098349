// Generated gRPC contracts (ts-proto, nice-grpc flavour), one namespace per proto package:
// `import { trip } from '@uitgo/grpc'` then `trip.TripServiceDefinition`, `trip.Trip`, ...
export * as auth from './gen/uitgo/auth/v1/auth_service.js';
export * as user from './gen/uitgo/user/v1/user_service.js';
export * as driver from './gen/uitgo/driver/v1/driver_service.js';
export * as trip from './gen/uitgo/trip/v1/trip_service.js';
export * as common from './common.js';
export { Timestamp } from './gen/google/protobuf/timestamp.js';
