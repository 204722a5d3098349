import type { Logger } from './logger.js';

type Closer = { name: string; close: () => Promise<void> };

/**
 * Ordered graceful shutdown: closers run in reverse order of registration (the server that
 * accepts work is registered last, so it stops first; pools close after in-flight work drains),
 * the whole sequence bounded by a timeout.
 */
export class Lifecycle {
  private readonly closers: Closer[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {}

  get isShuttingDown(): boolean {
    return this.stopping !== undefined;
  }

  onShutdown(name: string, close: () => Promise<void>): void {
    this.closers.push({ name, close });
  }

  shutdown(reason = 'requested'): Promise<void> {
    this.stopping ??= this.run(reason);
    return this.stopping;
  }

  /** SIGTERM/SIGINT start the shutdown; the process exits non-zero if it overruns its bound. */
  installSignalHandlers(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      this.shutdown(signal).then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }

  private async run(reason: string): Promise<void> {
    this.logger.info({ reason }, 'shutting down');
    const deadline = Date.now() + this.timeoutMs;
    let failed = false;
    for (const closer of [...this.closers].reverse()) {
      const left = Math.max(1, deadline - Date.now());
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          closer.close(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`did not close within ${left} ms`)), left);
          }),
        ]);
      } catch (err) {
        failed = true;
        this.logger.error({ err, part: closer.name }, 'shutdown step failed');
      } finally {
        clearTimeout(timer);
      }
    }
    this.logger.info({ reason, clean: !failed }, 'stopped');
    if (failed) throw new Error('shutdown was not clean');
  }
}
