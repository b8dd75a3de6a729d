/**
 * A Node process's CPU profile (`node --cpu-prof`) summed up for the benches (bench-proxy.ts,
 * bench-bulk.ts): self time per function and per package, over the whole profile or a window of it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { round } from './bench-lib';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  /** Microseconds on the system's monotonic clock (`process.hrtime` in any process of this machine). */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A span of the monotonic clock, in microseconds (`process.hrtime.bigint() / 1000n`). */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

/** Now on the clock a CPU profile's times are on, in microseconds. */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

const shortUrl = (url: string) => {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules >= 0) return path.slice(inModules + '/node_modules/'.length);
  const root = fileURLToPath(new URL('../', import.meta.url));
  return path.startsWith(root) ? path.slice(root.length) : path;
};

const packageOf = (url: string) => {
  if (url === '') return '(native / VM)';
  if (url.startsWith('node:')) return 'node: internals';
  const short = shortUrl(url);
  if (short !== url.replace(/^file:\/\//, '') && !short.startsWith('src/') && !short.startsWith('scripts/')) {
    const [first, second] = short.split('/');
    return first!.startsWith('@') ? `${first}/${second}` : first!;
  }
  return short.split('/').slice(0, 2).join('/');
};

/** Self time per function and per package, the `top` of each; only the samples taken within `window` when given. */
const summarizeProfile = (profile: CpuProfile, top: number, window?: ProfileWindow) => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  // As DevTools does: the time up to the next sample belongs to this one.
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  });
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber, columnNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busyUs += us;
    // tsx emits each module on few lines, so the column is what tells src functions apart.
    const where = url ? ` ${shortUrl(url)}:${lineNumber + 1}:${columnNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}${where}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
    const pkg = functionName.startsWith('(') && !url ? functionName : packageOf(url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const rank = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, self_ms: round(us / 1000, 1), percent: round((100 * us) / busyUs, 1) }));
  return { busy_ms: round(busyUs / 1000, 1), top_functions: rank(functions), top_packages: rank(packages) };
};

/**
 * The main thread's profile (`CPU.<date>.<time>.<pid>.0.<seq>.cpuprofile`) in `dir`, not a loader
 * thread's — of process `pid` when given — summed up.
 */
export const readProfile = async (dir: string, { top = 15, window, pid }: { top?: number; window?: ProfileWindow; pid?: number } = {}) => {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile') && (pid === undefined || name.includes(`.${pid}.0.`)));
  const file = files.find((name) => /\.\d+\.0\.\d+\.cpuprofile$/.test(name)) ?? files[0];
  if (!file) return undefined;
  const path = join(dir, file);
  return { file: path, ...summarizeProfile(JSON.parse(await readFile(path, 'utf8')) as CpuProfile, top, window) };
};
