import { randomUUID } from 'node:crypto';
import { type ApiClient, eventually, type Json } from './apiClient.js';

export const PASSWORD = 'correct-Horse-42';
export const uniqueEmail = (who: string) => `${who}-${randomUUID().slice(0, 12)}@e2e.uitgo.test`;

export interface Account {
  id: string;
  email: string;
  token: string;
}

function expectStatus(res: { status: number; text: string }, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text}`);
}

/** Registers a passenger or driver and waits until their profile exists (it may follow through an event). */
export async function registerAccount(api: ApiClient, role: 'passenger' | 'driver', who: string = role): Promise<Account> {
  const res = await api.post('/auth/register', { email: uniqueEmail(who), password: PASSWORD, fullName: `E2E ${who}`, role });
  expectStatus(res, 201, `register ${who}`);
  const account = { id: res.body.user.id as string, email: res.body.user.email as string, token: res.body.accessToken as string };
  await eventually(async () => ((await api.get('/users/me', { token: account.token })).status === 200 ? true : undefined), {
    what: 'profile created after registration',
  });
  return account;
}

/** The client's side of a document: create it, send the file to the signed URL, complete it. */
export async function uploadDocument(api: ApiClient, token: string, kind: string, file: Buffer, contentType = 'application/pdf'): Promise<Json> {
  const created = await api.post('/users/me/documents', { kind, contentType, sizeBytes: file.length }, { token });
  expectStatus(created, 201, `create ${kind}`);
  const { document, upload } = created.body;
  const put = await fetch(upload.url, { method: upload.method, headers: upload.headers ?? { 'content-type': contentType }, body: file });
  if (put.status >= 300) throw new Error(`upload ${kind}: ${put.status} ${await put.text()}`);
  const done = await api.post(`/users/me/documents/${document.id}/complete`, undefined, { token });
  expectStatus(done, 200, `complete ${kind}`);
  return done.body;
}

/** A driver verified the way a real one is: licence and national id uploaded, then an admin's decision. */
export async function verifyDriver(api: ApiClient, driver: Account, adminToken: string): Promise<void> {
  await uploadDocument(api, driver.token, 'driver_license', Buffer.from(`%PDF-1.4 licence of ${driver.email}`));
  await uploadDocument(api, driver.token, 'national_id', Buffer.from(`%PDF-1.4 id card of ${driver.email}`));
  await eventually(async () => {
    const res = await api.get(`/users/${driver.id}`, { token: adminToken });
    return res.body?.verificationStatus === 'pending' ? true : undefined;
  }, { what: 'driver pending review after uploading documents' });
  const decided = await api.post(`/users/${driver.id}/verification`, { decision: 'verified', reason: 'documents checked' }, { token: adminToken });
  expectStatus(decided, 200, 'verify driver');
}
