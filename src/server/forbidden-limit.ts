/**
 * How many `forbidden` audit entries one staff member may cause: a viewer's script sending refused
 * changes in a loop would otherwise fill the append-only log (and its database) as fast as it can send.
 * Each staff email has a fixed window; past its limit the request is still refused (403) but no
 * longer recorded, and the first one skipped in a window is logged instead.
 *
 * In-process: each replica counts on its own, so N replicas record at most N × the limit per window.
 */
export interface ForbiddenLimitOptions {
  /** Entries recorded per staff member per window (default 10). */
  max?: number;
  /** The window (default one minute). */
  windowMs?: number;
  now?: () => number;
}

export type ForbiddenDecision = 'record' | 'skip-first' | 'skip';

export const createForbiddenLimit = ({ max = 10, windowMs = 60_000, now = Date.now }: ForbiddenLimitOptions = {}) => {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    /** Counts one refused request of `email`: whether to record it, and whether it is the first skipped. */
    take(email: string): ForbiddenDecision {
      const at = now();
      // Only signed-in staff get here, so the map is as large as the staff; old windows go anyway.
      if (windows.size > 1_000) for (const [key, window] of windows) if (at - window.start >= windowMs) windows.delete(key);
      let window = windows.get(email);
      if (!window || at - window.start >= windowMs) {
        window = { start: at, count: 0 };
        windows.set(email, window);
      }
      window.count += 1;
      if (window.count <= max) return 'record';
      return window.count === max + 1 ? 'skip-first' : 'skip';
    },
  };
};
