import { readFile, writeFile } from 'node:fs/promises';

const FILE = 'docs/benchmarks.md';

/** Replaces the section of `name` in docs/benchmarks.md with the latest figures. */
export async function recordBenchmark(name: string, body: string): Promise<void> {
  let text = await readFile(FILE, 'utf8').catch(() => '# Benchmarks\n');
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${body}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  text = i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n## pnpm bench:${name}\n\n${block}\n`;
  await writeFile(FILE, text);
  process.stdout.write(`recorded in ${FILE}\n`);
}
