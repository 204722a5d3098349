import { driver as driverProto } from '@uitgo/grpc';
import { createGrpcClient, openChannel } from '@uitgo/kit';
import { Fleet, startPoint, stepBetweenReports } from './movement.js';

// Child process: streams positions for the given drivers to the driver service over
// StreamLocations (as the gateway does for WebSocket frames) at `rate` points/s for `seconds`,
// or, with `once`, until every driver has sent one position (`seconds` then bounds the call):
// its start (startPoint). Then each report moves its driver on as far as 30 km/h takes it
// between two of its reports (the drivers take turns, so one reports every ids/rate seconds).
const [port, rate, seconds, idsFile, mode] = process.argv.slice(2) as [string, string, string, string, string | undefined];
const once = mode === 'once';
const { readFileSync } = await import('node:fs');
const ids = JSON.parse(readFileSync(idsFile, 'utf8')) as string[];
const client = createGrpcClient(driverProto.DriverServiceDefinition, openChannel(`127.0.0.1:${port}`), { deadlineMs: 5_000 });
const perTick = Math.max(1, Math.round(Number(rate) / 100));
const end = Date.now() + Number(seconds) * 1000;
const fleet = new Fleet(ids.length);
const stepM = stepBetweenReports(ids.length / Number(rate));
let sent = 0;
let cursor = 0;

async function* points() {
  let tick = Date.now();
  while (once ? cursor < ids.length : Date.now() < end) {
    for (let i = 0; i < perTick && (!once || cursor < ids.length); i++) {
      const index = cursor++ % ids.length;
      const driverId = ids[index]!;
      const { lat, lng } = once ? startPoint(index) : fleet.move(index, stepM);
      yield { driverId, point: { location: { lat, lng }, recordedTime: new Date(), speedKmh: 30 } };
      sent++;
    }
    tick += 10;
    const wait = tick - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

const started = Date.now();
const result = await client.streamLocations(points(), {
  context: { traceId: 'bench-ingest-0000000', caller: { userId: 'bench-ingest', role: 'service' } },
  deadline: (Number(seconds) + 30) * 1000,
});
const elapsed = (Date.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ sent, accepted: result.accepted, rejected: result.rejected, ignored: result.ignored, seconds: elapsed, perSecond: Math.round(sent / elapsed) })}\n`);
process.exit(0);
