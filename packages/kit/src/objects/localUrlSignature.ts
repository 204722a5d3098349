import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a local presigned URL grants; every field is covered by the signature. */
export type LocalGrant =
  | { method: 'PUT'; key: string; exp: number; contentType: string; contentLength: number }
  | { method: 'GET'; key: string; exp: number; downloadName?: string };

function canonical(grant: LocalGrant): string {
  // The method is part of the payload so a download URL can never be replayed as an upload.
  return grant.method === 'PUT'
    ? ['PUT', grant.key, grant.exp, grant.contentType, grant.contentLength].join('\n')
    : ['GET', grant.key, grant.exp, grant.downloadName ?? ''].join('\n');
}

export function signGrant(secret: string | Buffer, grant: LocalGrant): string {
  return createHmac('sha256', secret).update(canonical(grant)).digest('base64url');
}

/** Constant-time comparison of the expected and the presented signature. */
export function verifyGrant(secret: string | Buffer, grant: LocalGrant, signature: string): boolean {
  const expected = Buffer.from(signGrant(secret, grant));
  const presented = Buffer.from(signature);
  return expected.length === presented.length && timingSafeEqual(expected, presented);
}

/** Query string of a presigned URL (`exp` in epoch seconds, `sig` last). */
export function grantQuery(grant: LocalGrant, signature: string): string {
  const params = new URLSearchParams({ exp: String(grant.exp) });
  if (grant.method === 'PUT') {
    params.set('ct', grant.contentType);
    params.set('len', String(grant.contentLength));
  } else if (grant.downloadName !== undefined) {
    params.set('dn', grant.downloadName);
  }
  params.set('sig', signature);
  return params.toString();
}
