import type { Reporter, TestModule, TestSuite } from 'vitest/node';

/**
 * Lists, at the end of a run, the real-infrastructure suites that did not run and why, and
 * closes with a plain `Tests: N passed, N failed, N skipped` line that any CI can read.
 */
export default class RealInfraReporter implements Reporter {
  private skipped: string[] = [];
  private counts = { passed: 0, failed: 0, skipped: 0 };

  onTestModuleEnd(module: TestModule): void {
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') this.counts.passed++;
      else if (state === 'failed') this.counts.failed++;
      else this.counts.skipped++;
    }
    if (module.state() === 'failed' && module.errors().length > 0) this.counts.failed++;
    const visit = (suite: TestModule | TestSuite) => {
      for (const child of suite.children.suites()) {
        if (child.name.includes('[real:') && child.state() === 'skipped') {
          this.skipped.push(`${module.moduleId.replace(`${process.cwd()}/`, '')} > ${child.name}`);
        } else visit(child);
      }
    };
    visit(module);
  }

  onTestRunEnd(): void {
    if (this.skipped.length > 0) {
      const lines = [`\nReal-infrastructure suites not run (${this.skipped.length}):`, ...this.skipped.map((s) => `  - ${s}`)];
      lines.push('Run them with `pnpm infra:up` and `UITGO_INFRA=real pnpm test`.');
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    const { passed, failed, skipped } = this.counts;
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
