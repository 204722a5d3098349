import { auth } from '@uitgo/grpc';
import { createGrpcClient, openChannel } from '@uitgo/kit';
import { createClient as createRedis } from 'redis';
import { startRealStack } from './stack.js';
const stack = await startRealStack({ RATE_LIMIT_USER_MAX: '10000000', RATE_LIMIT_PUBLIC_MAX: '1000000', REDIS_CLUSTER_NODES: '' });
async function load(name: string, call: () => Promise<unknown>) {
  const end = performance.now() + 4000; let n = 0; const t0 = performance.now();
  await Promise.all(Array.from({ length: 32 }, async () => { while (performance.now() < end) { await call(); n++; } }));
  console.log(name, Math.round(n / ((performance.now() - t0) / 1000)));
}
try {
  const port = Number(new URL(stack.url).port) + 1;
  const email = `probe-${Date.now()}@uitgo.test`;
  const r = await fetch(`${stack.url}/api/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'Bench-password-42', fullName: 'P', role: 'passenger' }) });
  const { user } = (await r.json()) as { user: { id: string } };
  const client = createGrpcClient(auth.AuthServiceDefinition, openChannel(`127.0.0.1:${port}`), { deadlineMs: 5000 });
  const context = { traceId: 'x'.repeat(16), caller: { userId: user.id, role: 'passenger' as const } };
  await load('grpc getMe', () => client.getMe({}, { context }));
  await load('grpc getJwks', () => client.getJwks({}, { context }));
  const redis = createRedis({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6390' }); await redis.connect();
  await load('redis get', () => redis.get('nothing'));
  await redis.quit();
} finally { await stack.stop(); }
process.exit(0);
