import type { FastifyBaseLogger } from 'fastify';

/** Where signed-out sessions are listed: the console's database, shared by every replica. */
export interface EndedSessionStore {
  endSession(sid: string, expiresAt: Date): Promise<void>;
  endedSessions(): Promise<string[]>;
}

/** How often a replica reads the list: a session signed out on another one is refused this soon. */
export const ENDED_SESSIONS_REFRESH_MS = 2_000;

/**
 * Sessions live in cookies, so a copy of one would outlive its sign-out. Signing out therefore lists
 * the session in the database, and each request's session is looked up in this process's copy of
 * that list: at once on the replica that signed it out, within `refreshMs` on the others. No query
 * per request.
 */
export const createEndedSessions = async ({
  store,
  refreshMs = ENDED_SESSIONS_REFRESH_MS,
  log,
}: {
  store: EndedSessionStore;
  refreshMs?: number;
  log: FastifyBaseLogger;
}) => {
  let listed = new Set(await store.endedSessions());
  // Ended here: kept beside the list until it expires, so a read that raced the write cannot drop it.
  const endedHere = new Map<string, number>();

  const refresh = async () => {
    const fresh = new Set(await store.endedSessions());
    const now = Date.now();
    for (const [sid, expiresAt] of endedHere) {
      if (expiresAt <= now) endedHere.delete(sid);
      else fresh.add(sid);
    }
    listed = fresh;
  };
  let failing = false;
  let reading = false;
  const timer = setInterval(() => {
    if (reading) return;
    reading = true;
    refresh()
      .then(
        () => {
          if (failing) log.info('ended sessions: the list is read again');
          failing = false;
        },
        (error: unknown) => {
          // Sessions signed out elsewhere stay unknown here until the database answers again.
          if (!failing) log.error({ err: error }, 'ended sessions: the list could not be read; using the last one');
          failing = true;
        },
      )
      .finally(() => {
        reading = false;
      });
  }, refreshMs);
  timer.unref();

  return {
    has: (sid: string) => listed.has(sid),
    /** Durable when it resolves: from then on no replica accepts the session for longer than `refreshMs`. */
    end: async (sid: string, expiresAt: Date) => {
      await store.endSession(sid, expiresAt);
      endedHere.set(sid, expiresAt.getTime());
      listed.add(sid);
    },
    close: () => clearInterval(timer),
  };
};
export type EndedSessions = Awaited<ReturnType<typeof createEndedSessions>>;
