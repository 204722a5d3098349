import { ERROR_CATALOGUE, type ErrorCode, defaultMessageOf, httpStatusOf } from './errors.js';
import { ROUTE_TAGS, type RouteDescriptor, type RouteTag } from './routeDescriptor.js';

export const BEARER_SCHEME = 'bearerAuth';

const TAG_DESCRIPTIONS: Readonly<Record<RouteTag, string>> = {
  auth: 'Accounts, sign-in and sessions',
  users: 'Profiles and verification',
  documents: 'Avatar and identity document uploads',
  drivers: 'Vehicles, availability, positions and offers',
  trips: 'Quotes, rides and their lifecycle',
};

/** The static parts of the OpenAPI document; the gateway adds paths from `routeList`. */
export const openApiDocumentBase = {
  openapi: '3.0.3',
  info: {
    title: 'UIT-Go API',
    version: '1.0.0',
    description:
      'Ride-hailing REST API. Errors are `{code, message, traceId, details?}`; the trace id is also in `x-trace-id`.',
  },
  components: {
    securitySchemes: { [BEARER_SCHEME]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
  },
  tags: ROUTE_TAGS.map((name) => ({ name, description: TAG_DESCRIPTIONS[name] })),
} as const;

/** `/trips/:id` -> `/trips/{id}` */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export function requiresSignIn(route: RouteDescriptor): boolean {
  return route.auth !== 'public';
}

export function securityOf(route: RouteDescriptor): Array<Record<string, string[]>> {
  return requiresSignIn(route) ? [{ [BEARER_SCHEME]: [] }] : [];
}

/** The route's own errors plus those implied by its shape (validation, auth, platform-wide). */
export function errorCodesOf(route: RouteDescriptor): ErrorCode[] {
  const codes = new Set<ErrorCode>();
  const hasInput = route.body || route.query || route.params || route.headers;
  if (hasInput) codes.add('VALIDATION_FAILED');
  // Any body may be too large or of another type than JSON.
  if (route.body) codes.add('PAYLOAD_TOO_LARGE').add('UNSUPPORTED_MEDIA_TYPE');
  if (requiresSignIn(route)) {
    codes.add('UNAUTHENTICATED').add('TOKEN_EXPIRED').add('TOKEN_INVALID').add('SESSION_REVOKED');
  }
  // Role-restricted routes, and per-resource checks made by services ("its passenger").
  if (typeof route.auth !== 'string' || route.params) codes.add('FORBIDDEN');
  for (const code of route.errors) codes.add(code);
  codes.add('RATE_LIMITED').add('UNAVAILABLE').add('DEADLINE_EXCEEDED');
  return [...codes];
}

export interface ErrorResponseDoc {
  description: string;
  codes: ErrorCode[];
}

/** Error responses grouped by HTTP status, each described by the codes it may carry. */
export function errorResponsesOf(route: RouteDescriptor): Record<number, ErrorResponseDoc> {
  const byStatus: Record<number, ErrorResponseDoc> = {};
  for (const code of errorCodesOf(route)) {
    const status = httpStatusOf(code);
    const doc = (byStatus[status] ??= { description: '', codes: [] });
    doc.codes.push(code);
  }
  for (const doc of Object.values(byStatus)) {
    doc.description = doc.codes.map((code) => `\`${code}\`: ${defaultMessageOf(code)}`).join('; ');
  }
  return byStatus;
}

/** Human-readable table of all error codes, for the document's description or a docs page. */
export function errorCatalogueMarkdown(): string {
  const rows = Object.entries(ERROR_CATALOGUE).map(
    ([code, spec]) => `| ${code} | ${spec.httpStatus} | ${spec.defaultMessage} |`,
  );
  return ['| code | HTTP | meaning |', '|---|---|---|', ...rows].join('\n');
}
