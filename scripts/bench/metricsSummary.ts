import { hostCpuLine, sampleHost, type HostSample } from './hostCpu.js';

// Where a benchmark's time went: histograms and CPU scraped from every process's /metrics
// before and after a phase, printed as one table (count, mean, p99 from the buckets, CPU seconds),
// with the host's CPU by infrastructure process and load generator read from /proc.

type Sample = { name: string; labels: string; value: number };
export interface Snapshot {
  metrics: Map<string, Sample[]>;
  host: HostSample | undefined;
}

const LINE = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/;

function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (m) out.push({ name: m[1]!, labels: m[2] ?? '', value: Number(m[3]) });
  }
  return out;
}

/** `/metrics` of each named process (a process that does not answer is left out). */
export async function scrape(targets: Record<string, string>): Promise<Snapshot> {
  const snap = new Map<string, Sample[]>();
  await Promise.all(
    Object.entries(targets).map(async ([name, url]) => {
      try {
        snap.set(name, parse(await (await fetch(url)).text()));
      } catch {
        // not up: nothing to report
      }
    }),
  );
  return { metrics: snap, host: sampleHost() };
}

const strip = (labels: string, drop: string[]) =>
  labels
    .replace(/^\{|\}$/g, '')
    .split(/,(?=\w+=")/)
    .filter((kv) => kv && !drop.some((d) => kv.startsWith(`${d}=`)))
    .join(',');

/** Rows of histograms that moved between the snapshots, busiest first, and each process's CPU. */
export function summarize(before: Snapshot, after: Snapshot, seconds: number): string {
  const rows: { process: string; series: string; count: number; meanMs: number; p99Ms: number; totalS: number }[] = [];
  const cpu: string[] = [];
  for (const [proc, samples] of after.metrics) {
    const old = new Map((before.metrics.get(proc) ?? []).map((s) => [`${s.name}${s.labels}`, s.value]));
    const delta = (s: Sample) => s.value - (old.get(`${s.name}${s.labels}`) ?? 0);
    const cpuNow = samples.find((s) => s.name === 'process_cpu_seconds_total');
    const lag = samples.find((s) => s.name === 'nodejs_eventloop_lag_p99_seconds');
    if (cpuNow) cpu.push(`${proc} ${(delta(cpuNow) / seconds).toFixed(2)}${lag ? ` (event-loop lag p99 ${(lag.value * 1000).toFixed(0)} ms)` : ''}`);
    const series = new Map<string, { count: number; sum: number; buckets: [number, number][] }>();
    for (const s of samples) {
      const base = s.name.replace(/_(bucket|sum|count)$/, '');
      if (base === s.name || s.name.startsWith('nodejs_') || s.name.startsWith('process_')) continue;
      const key = `${base}{${strip(s.labels, ['le', 'service'])}}`;
      const entry = series.get(key) ?? { count: 0, sum: 0, buckets: [] };
      series.set(key, entry);
      if (s.name.endsWith('_count')) entry.count = delta(s);
      else if (s.name.endsWith('_sum')) entry.sum = delta(s);
      else {
        const le = /le="([^"]+)"/.exec(s.labels)?.[1];
        if (le) entry.buckets.push([le === '+Inf' ? Infinity : Number(le), delta(s)]);
      }
    }
    for (const [key, { count, sum, buckets }] of series) {
      if (count <= 0) continue;
      const bound = buckets.sort((a, b) => a[0] - b[0]).find(([, n]) => n >= count * 0.99)?.[0] ?? Infinity;
      rows.push({ process: proc, series: key, count, meanMs: (sum / count) * 1000, p99Ms: bound * 1000, totalS: sum });
    }
  }
  rows.sort((a, b) => b.totalS - a.totalS);
  return [
    `CPU cores used per process: ${cpu.join(', ')}`,
    '',
    hostCpuLine(before.host, after.host, seconds),
    '',
    '| process | series | count | mean ms | p99 ≤ ms |',
    '|---|---|---|---|---|',
    ...rows.slice(0, 40).map((r) => `| ${r.process} | ${r.series} | ${r.count} | ${r.meanMs.toFixed(2)} | ${r.p99Ms} |`),
  ].join('\n');
}
