import type { Role } from '@uitgo/contracts';
import { common } from '@uitgo/grpc';

const TO_PROTO: Record<Role, common.Role> = {
  passenger: common.Role.ROLE_PASSENGER,
  driver: common.Role.ROLE_DRIVER,
  admin: common.Role.ROLE_ADMIN,
};

export const roleToProto = (role: Role): common.Role => TO_PROTO[role];

/** Undefined for ROLE_UNSPECIFIED and values this build does not know. */
export function roleFromProto(role: common.Role): Role | undefined {
  switch (role) {
    case common.Role.ROLE_PASSENGER:
      return 'passenger';
    case common.Role.ROLE_DRIVER:
      return 'driver';
    case common.Role.ROLE_ADMIN:
      return 'admin';
    default:
      return undefined;
  }
}
