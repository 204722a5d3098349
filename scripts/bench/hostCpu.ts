import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where the machine's CPU went during a phase, beside what the platform's own processes report
 * on /metrics: the infrastructure they run on here (Redis, Kafka, PostgreSQL, dynalite, S3Proxy)
 * and the load generators (the benchmark's child processes that finished within the phase), read
 * from /proc. Linux only; elsewhere the line says so.
 */
export interface HostSample {
  /** Busy jiffies of all CPUs together (/proc/stat). */
  busy: number;
  /** CPU jiffies so far of each long-running process, by pid, with its group. */
  processes: Map<number, { group: string; jiffies: number }>;
  /** CPU jiffies of this process's finished children (cutime + cstime). */
  reapedChildren: number;
}

/** USER_HZ: 100 on every Linux architecture Node runs on. */
const HZ = 100;

function groupOf(comm: string, cmdline: string): string | undefined {
  if (cmdline.includes('dynalite')) return 'dynalite';
  if (comm === 'java') return cmdline.includes('kafka') ? 'Kafka' : cmdline.includes('s3proxy') ? 'S3Proxy' : undefined;
  if (comm.startsWith('redis-server')) return 'Redis';
  if (comm === 'postgres' || cmdline.startsWith('postgres')) return 'PostgreSQL';
  return undefined;
}

/** Fields of /proc/<pid>/stat after the `(comm)`: index 11 is utime, 12 stime, 13 cutime, 14 cstime. */
function statFields(pid: number | 'self'): { comm: string; rest: string[] } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    return { comm: text.slice(text.indexOf('(') + 1, close), rest: text.slice(close + 2).split(' ') };
  } catch {
    return undefined; // gone meanwhile
  }
}

export function sampleHost(): HostSample | undefined {
  let cpu: number[];
  try {
    cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  } catch {
    return undefined;
  }
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
  const processes = new Map<number, { group: string; jiffies: number }>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = statFields(pid);
    if (!stat) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    const group = groupOf(stat.comm, cmdline);
    if (group) processes.set(pid, { group, jiffies: Number(stat.rest[11]) + Number(stat.rest[12]) });
  }
  const self = statFields('self');
  return {
    busy: total - cpu[3]! - cpu[4]!,
    processes,
    reapedChildren: self ? Number(self.rest[13]) + Number(self.rest[14]) : 0,
  };
}

/** One line: the machine's busy cores and, per group, the cores it used between the samples. */
export function hostCpuLine(before: HostSample | undefined, after: HostSample | undefined, seconds: number): string {
  if (!before || !after) return 'Host CPU: not measured (no /proc here).';
  const cores = (jiffies: number) => (jiffies / HZ / seconds).toFixed(2);
  const byGroup = new Map<string, number>();
  for (const [pid, now] of after.processes) {
    const then = before.processes.get(pid);
    if (then) byGroup.set(now.group, (byGroup.get(now.group) ?? 0) + now.jiffies - then.jiffies);
  }
  // /proc/stat counts every CPU's jiffies, so busy jiffies per second are busy cores.
  const machine = (after.busy - before.busy) / HZ / seconds;
  const groups = [...byGroup].sort((a, b) => b[1] - a[1]).map(([group, jiffies]) => `${group} ${cores(jiffies)}`);
  return (
    `Host CPU in cores (all CPUs busy: ${machine.toFixed(2)}): ${groups.join(', ')}, ` +
    `load generators ${cores(after.reapedChildren - before.reapedChildren)} (the benchmark's child processes that finished in the phase); the rest is the platform's processes above.`
  );
}
