import Fastify from 'fastify';

// Same-run baseline for the gateway benchmarks: a bare Fastify hello world.
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: Number(process.argv[2]) });
