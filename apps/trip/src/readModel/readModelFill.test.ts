import { createLogger } from '@uitgo/kit';
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { MemoryTripReadModel } from '../adapters/memoryTripReadModel.js';
import { createTripMetrics } from '../metrics.js';
import { eventually } from '../test/testClock.js';
import { ReadModelFill } from './readModelFill.js';

/** A fill over an empty trips-db whose scan waits until `open` is called. */
function aFill(timing = { leaseMs: 30_000, retryMs: 10_000 }) {
  let open = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const scan = vi.fn(async () => {
    await gate;
    return [];
  });
  const readModel = new MemoryTripReadModel();
  const metrics = createTripMetrics(new Registry());
  const fill = new ReadModelFill({ trips: { scan }, readModel, metrics, logger: createLogger({ service: 'test', level: 'silent' }) }, timing);
  const counted = async () => (await metrics.readModelFills.get()).values.map((v) => ({ ...v.labels, value: v.value }));
  return { fill, readModel, scan, open, counted };
}

describe('ReadModelFill', () => {
  it('runs one fill at a time, keeps what the read model holds and marks it complete', async () => {
    const { fill, readModel, scan, open, counted } = aFill();
    fill.start('incomplete');
    fill.start('incomplete');
    await eventually(async () => (scan.mock.calls.length > 0 ? true : undefined));
    fill.start('start-up');
    open();
    await fill.settled();
    expect(scan).toHaveBeenCalledTimes(1);
    expect(await readModel.isComplete()).toBe(true);
    expect(await counted()).toEqual([{ reason: 'incomplete', outcome: 'completed', value: 1 }]);
    // Complete: a later start takes the lease, sees it and does nothing.
    fill.start('incomplete');
    await fill.settled();
    expect(scan).toHaveBeenCalledTimes(1);
  });

  it('leaves the fill to the replica that holds the lease, and looks again only after retryMs', async () => {
    const { fill, readModel, scan, open, counted } = aFill({ leaseMs: 30_000, retryMs: 200 });
    open();
    const other = await readModel.leaseFill(30_000);
    const leaseFill = vi.spyOn(readModel, 'leaseFill');
    fill.start('incomplete');
    await fill.settled();
    fill.start('incomplete');
    await fill.settled();
    expect([leaseFill.mock.calls.length, scan.mock.calls.length, await readModel.isComplete()]).toEqual([1, 0, false]);

    await other!.release();
    await eventually(async () => {
      fill.start('incomplete');
      await fill.settled();
      return (await readModel.isComplete()) || undefined;
    }, 5_000);
    expect(await counted()).toEqual([{ reason: 'incomplete', outcome: 'completed', value: 1 }]);
  });

  it('does not mark the read model complete when its lease was lost during the fill (the store lost its data)', async () => {
    const { fill, readModel, scan, open, counted } = aFill();
    fill.start('incomplete');
    await eventually(async () => (scan.mock.calls.length > 0 ? true : undefined));
    await readModel.clear();
    open();
    await fill.settled();
    expect(await readModel.isComplete()).toBe(false);
    expect(await counted()).toEqual([{ reason: 'incomplete', outcome: 'failed', value: 1 }]);
  });

  it('stops a running fill without marking the read model complete, and starts none after', async () => {
    const { fill, readModel, scan, open, counted } = aFill();
    fill.start('start-up');
    await eventually(async () => (scan.mock.calls.length > 0 ? true : undefined));
    const stopped = fill.stop();
    open();
    await stopped;
    fill.start('incomplete');
    await fill.settled();
    expect([scan.mock.calls.length, await readModel.isComplete()]).toEqual([1, false]);
    expect(await counted()).toEqual([{ reason: 'start-up', outcome: 'stopped', value: 1 }]);
  });
});
