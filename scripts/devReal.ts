import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

// `pnpm dev:real`: the five apps as separate processes in real mode against the services of
// `pnpm infra:up` (settings from .infra/env), the way they run in compose or Kubernetes.
const envFile = '.infra/env';
if (!existsSync(envFile)) {
  console.error(`${envFile} not found: start the infrastructure first with \`pnpm infra:up\``);
  process.exit(1);
}
const infraEnv = Object.fromEntries(
  readFileSync(envFile, 'utf8')
    .split('\n')
    .map((line) => /^(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2]!.replace(/^(['"])(.*)\1$/, '$2')]),
);
const env = { ...infraEnv, ...process.env, UITGO_MODE: 'real' };
const apps = ['auth', 'user', 'driver', 'trip', 'gateway'];
const children: ChildProcess[] = apps.map((app) => {
  const child = spawn(process.execPath, ['--conditions=@uitgo/source', '--import', 'tsx', `apps/${app}/src/main.ts`], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${app} exited (${signal ?? code}); stopping the others`);
      stop(1);
    }
  });
  return child;
});

let stopping = false;
function stop(code: number) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r))))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
