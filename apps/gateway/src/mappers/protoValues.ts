import type { DocumentKind, DocumentStatus, Role, VerificationDecision, VerificationStatus } from '@uitgo/contracts';
import { common, user } from '@uitgo/grpc';

/** A field the service must always set; its absence is a bug in that service, hence a 500. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the service answered without ${what}`);
  return value;
}

export const isoOf = (date: Date | undefined, what: string): string => required(date, what).toISOString();

function lookup<K extends number, V extends string>(table: ReadonlyMap<K, V>, value: K, what: string): V {
  const found = table.get(value);
  if (found === undefined) throw new Error(`the service answered with an unknown ${what} ${value}`);
  return found;
}

const invert = <K, V>(map: ReadonlyMap<K, V>) => new Map([...map].map(([k, v]) => [v, k]));

const R = common.Role;
const ROLES = new Map<common.Role, Role>([
  [R.ROLE_PASSENGER, 'passenger'],
  [R.ROLE_DRIVER, 'driver'],
  [R.ROLE_ADMIN, 'admin'],
]);
const ROLE_VALUES = invert(ROLES);
export const roleOf = (role: common.Role): Role => lookup(ROLES, role, 'role');
export const protoRole = (role: Role): common.Role => ROLE_VALUES.get(role)!;

const V = user.VerificationStatus;
const VERIFICATION = new Map<user.VerificationStatus, VerificationStatus>([
  [V.VERIFICATION_STATUS_UNVERIFIED, 'unverified'],
  [V.VERIFICATION_STATUS_PENDING, 'pending'],
  [V.VERIFICATION_STATUS_VERIFIED, 'verified'],
  [V.VERIFICATION_STATUS_REJECTED, 'rejected'],
]);
const VERIFICATION_VALUES = invert(VERIFICATION);
export const verificationStatusOf = (status: user.VerificationStatus): VerificationStatus =>
  lookup(VERIFICATION, status, 'verification status');
export const protoVerificationStatus = (status: VerificationStatus): user.VerificationStatus => VERIFICATION_VALUES.get(status)!;

const K = user.DocumentKind;
const KINDS = new Map<user.DocumentKind, DocumentKind>([
  [K.DOCUMENT_KIND_AVATAR, 'avatar'],
  [K.DOCUMENT_KIND_DRIVER_LICENSE, 'driver_license'],
  [K.DOCUMENT_KIND_NATIONAL_ID, 'national_id'],
  [K.DOCUMENT_KIND_VEHICLE_REGISTRATION, 'vehicle_registration'],
]);
const KIND_VALUES = invert(KINDS);
export const documentKindOf = (kind: user.DocumentKind): DocumentKind => lookup(KINDS, kind, 'document kind');
export const protoDocumentKind = (kind: DocumentKind): user.DocumentKind => KIND_VALUES.get(kind)!;

const S = user.DocumentStatus;
const DOCUMENT_STATUSES = new Map<user.DocumentStatus, DocumentStatus>([
  [S.DOCUMENT_STATUS_AWAITING_UPLOAD, 'awaiting_upload'],
  [S.DOCUMENT_STATUS_UPLOADED, 'uploaded'],
]);
export const documentStatusOf = (status: user.DocumentStatus): DocumentStatus =>
  lookup(DOCUMENT_STATUSES, status, 'document status');

const DECISIONS = new Map<VerificationDecision, user.VerificationDecision>([
  ['verified', user.VerificationDecision.VERIFICATION_DECISION_VERIFIED],
  ['rejected', user.VerificationDecision.VERIFICATION_DECISION_REJECTED],
]);
const DECISION_VALUES = invert(DECISIONS);
export const protoDecision = (decision: VerificationDecision): user.VerificationDecision => DECISIONS.get(decision)!;
export const decisionOf = (decision: user.VerificationDecision): VerificationDecision => lookup(DECISION_VALUES, decision, 'verification decision');
