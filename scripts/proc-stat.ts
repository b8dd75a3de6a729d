/** What the benches read of a process from Linux's /proc: its command, parent and CPU time. */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/** Clock ticks per second, the unit of /proc's CPU times (`getconf CLK_TCK`; 100 nearly everywhere). */
export const CLOCK_TICKS_PER_S = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A process's command name, parent pid and CPU ticks (user + system) so far, from /proc/<pid>/stat; undefined when gone. */
export const statOf = async (pid: number) => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!stat) return undefined;
  // The command name is in parentheses and may hold spaces; after it: state ppid … utime(14) stime(15).
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  return { command: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
};

export type ProcStat = NonNullable<Awaited<ReturnType<typeof statOf>>>;

/** Every process /proc lists now, by pid (those gone while it was read left out). */
export const processTable = async (): Promise<Map<number, ProcStat>> => {
  const table = new Map<number, ProcStat>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await statOf(Number(name));
    if (stat) table.set(Number(name), stat);
  }
  return table;
};
