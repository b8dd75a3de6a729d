/** What the benches read of a process from Linux's /proc: its command, parent and CPU time. */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

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
