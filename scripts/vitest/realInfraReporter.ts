import type { Reporter, TestModule, TestSuite } from 'vitest/node';

/** Lists, at the end of a run, the real-infrastructure suites that did not run and why. */
export default class RealInfraReporter implements Reporter {
  private skipped: string[] = [];

  onTestModuleEnd(module: TestModule): void {
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
    if (this.skipped.length === 0) return;
    const lines = [`\nReal-infrastructure suites not run (${this.skipped.length}):`, ...this.skipped.map((s) => `  - ${s}`)];
    lines.push('Run them with `pnpm infra:up` and `UITGO_INFRA=real pnpm test`.\n');
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
