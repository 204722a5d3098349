import { writeFileSync } from 'node:fs';
import { startRealStack } from './stack.js';

// Debug helper: `tsx scripts/bench/stackUp.ts <file>` keeps the real-mode stack up and writes its URL and ports to <file>.
const stack = await startRealStack({ RATE_LIMIT_USER_MAX: '10000000', RATE_LIMIT_PUBLIC_MAX: '1000000' });
writeFileSync(process.argv[2] ?? '/tmp/stack.json', JSON.stringify({ url: stack.url, ports: stack.ports }));
process.stdout.write(`stack up at ${stack.url}\n`);
const stop = () => void stack.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
