import type { FastifyBaseLogger } from 'fastify';
import type { SqlRunner } from '../audit/db';

/** How often a replica reads the list: a session signed out on another one is refused this soon. */
export const ENDED_SESSIONS_REFRESH_MS = 2_000;

/**
 * An id below the highest one read but not seen: its INSERT took its id before a later one and may
 * commit after it (ids are handed out when a row is inserted, not when it commits). It is asked for
 * again on each read for this long, then given up (rolled back, or an `ON CONFLICT DO NOTHING` that
 * used an id without a row, or a row already deleted as expired).
 */
const GAP_WAIT_MS = 60_000;
/** Gaps looked for below the highest id read: sign-outs racing each other are close in id. */
const GAP_SPAN = 1_000;

// New rows only, and the gaps still awaited: the list is read in full once, at start.
const READ = `
  SELECT id::text AS id, sid, (extract(epoch FROM expires_at) * 1000)::float8 AS "expiresAt"
  FROM ended_sessions WHERE id > $1::bigint OR id = ANY($2::bigint[])`;

/**
 * The signed-out sessions, kept in the console's database (table `ended_sessions`, beside the audit
 * log) so that every replica sees them. Rows go once the session would have expired anyway.
 */
export const createEndedSessionStore = (sql: SqlRunner) => ({
  /** Lists a session as ended (durable when it resolves); rows past their expiry go. */
  endSession: async (sid: string, expiresAt: Date) => {
    await sql.query('INSERT INTO ended_sessions (sid, expires_at) VALUES ($1, $2::timestamptz) ON CONFLICT (sid) DO NOTHING', [sid, expiresAt.toISOString()]);
    await sql.query('DELETE FROM ended_sessions WHERE expires_at <= now()');
  },
  /** The rows with an id above `lastId` or among `ids` (see `createEndedSessions`). */
  readAfter: (lastId: number, ids: readonly number[]) =>
    sql.query<{ id: string; sid: string; expiresAt: number }>(READ, [String(lastId), `{${ids.join(',')}}`]),
  /** The ended sessions that have not expired yet. */
  current: async () => (await sql.query<{ sid: string }>('SELECT sid FROM ended_sessions WHERE expires_at > now()')).map((row) => row.sid),
});
export type EndedSessionStore = ReturnType<typeof createEndedSessionStore>;

/**
 * Sessions live in cookies, so a copy of one would outlive its sign-out. Signing out therefore lists
 * the session in the database, and each request's session is looked up in this process's copy of
 * that list: at once on the replica that signed it out, within `refreshMs` on the others. No query
 * per request; each read asks only for the rows with an id above the last one read (plus the gaps
 * below it still awaited), never by time, which a late commit would slip past.
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
  /** sid → when it would have expired anyway (ms); dropped from the copy then. */
  const listed = new Map<string, number>();
  let lastId = 0;
  /** Ids below `lastId` not seen yet → when they were first missed. */
  const gaps = new Map<number, number>();

  const read = async () => {
    const rows = await store.readAfter(lastId, [...gaps.keys()]);
    const now = Date.now();
    const seen = new Set<number>();
    let top = lastId;
    for (const row of rows) {
      const id = Number(row.id);
      seen.add(id);
      gaps.delete(id);
      if (id > top) top = id;
      const expiresAt = Number(row.expiresAt);
      if (expiresAt > now) listed.set(row.sid, Math.max(expiresAt, listed.get(row.sid) ?? 0));
    }
    for (let id = Math.max(lastId, top - GAP_SPAN) + 1; id < top; id += 1) if (!seen.has(id)) gaps.set(id, now);
    lastId = top;
    for (const [id, since] of gaps) if (now - since > GAP_WAIT_MS) gaps.delete(id);
    for (const [sid, expiresAt] of listed) if (expiresAt <= now) listed.delete(sid);
  };
  await read();

  let failing = false;
  let reading = false;
  const timer = setInterval(() => {
    if (reading) return;
    reading = true;
    read()
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
      listed.set(sid, expiresAt.getTime());
    },
    close: () => clearInterval(timer),
  };
};
export type EndedSessions = Awaited<ReturnType<typeof createEndedSessions>>;
