import { describe, expect, it } from 'vitest';
import { Lifecycle } from './lifecycle.js';
import { createLogger } from './logger.js';

const logger = createLogger({ service: 'test', level: 'silent' });

describe('Lifecycle', () => {
  it('closes parts in reverse order of registration, once', async () => {
    const order: string[] = [];
    const lifecycle = new Lifecycle(logger, 1_000);
    lifecycle.onShutdown('pool', async () => void order.push('pool'));
    lifecycle.onShutdown('server', async () => void order.push('server'));
    await Promise.all([lifecycle.shutdown(), lifecycle.shutdown()]);
    expect(order).toEqual(['server', 'pool']);
    expect(lifecycle.isShuttingDown).toBe(true);
  });

  it('bounds a step that hangs and still closes the rest', async () => {
    const closed: string[] = [];
    const lifecycle = new Lifecycle(logger, 200);
    lifecycle.onShutdown('pool', async () => void closed.push('pool'));
    lifecycle.onShutdown('stuck', () => new Promise<void>(() => undefined));
    // A step that never settles would leave shutdown() pending and time the test out.
    await expect(lifecycle.shutdown()).rejects.toThrow('shutdown was not clean');
    expect(closed).toEqual(['pool']);
  });
});
