/**
 * Waits until a launched browser has finished opening a window, before a bench navigates in it.
 *
 * Chromium (the full browser, headless) builds each new window's omnibox popup, a WebUI page of its
 * own (`chrome://omnibox-popup.top-chrome`), in a renderer of its own: about 1.3 CPU-seconds here,
 * over the 1.2 s after `newPage()`. A bench that navigates at once measures its page on whatever
 * cores that leaves: on a 2-core machine, one. A user's window has long been open when they load a
 * page, so the benches wait for the browser's processes to go quiet first.
 */
import { CLOCK_TICKS_PER_S, processTable } from './proc-stat';

/** CPU ticks used so far by the Chromium processes below this one (the browsers it launched and all of theirs). */
const browserTicks = async (): Promise<number> => {
  const stats = await processTable();
  const below = new Set([process.pid]);
  // Parents are listed before their children nearly always; more passes catch the rest.
  for (let pass = 0; pass < 3; pass++) for (const [pid, { ppid }] of stats) if (below.has(ppid)) below.add(pid);
  let ticks = 0;
  // Only Chromium's own (`chromium`, `chromium-headle…`): the servers under test run below this process too.
  for (const pid of below) if (/^chrom/.test(stats.get(pid)?.command ?? '')) ticks += stats.get(pid)!.ticks;
  return ticks;
};

/**
 * Resolves once the browsers this process launched together used under `busyShare` of one core over
 * `quietMs`, or after `maxMs` whatever they do (a busy machine must not stall the bench). Where there
 * is no `/proc` (not Linux), it waits a second. Returns the ms it waited.
 */
export const untilBrowserSettles = async ({ quietMs = 250, busyShare = 0.1, maxMs = 5_000 } = {}): Promise<number> => {
  const started = Date.now();
  const sleep = (ms = quietMs) => new Promise((resolve) => setTimeout(resolve, ms));
  if (process.platform !== 'linux') {
    await sleep(1_000);
    return Date.now() - started;
  }
  let before = await browserTicks();
  for (;;) {
    await sleep();
    const now = await browserTicks();
    const busySeconds = (now - before) / CLOCK_TICKS_PER_S;
    before = now;
    if (busySeconds < (busyShare * quietMs) / 1000 || Date.now() - started >= maxMs) return Date.now() - started;
  }
};
