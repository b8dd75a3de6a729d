// Sign-in throttling whose counters live in the console's database (PGlite, or the PostgreSQL that
// replicas share), so every replica sees the same ones. Each attempt is counted, for its account and
// then for its address, each by ONE statement (an upsert that counts only when the limit allows, and
// says so), before its password is checked: of 40 wrong passwords sent at once for one account, 5 are
// counted and checked and 35 refused unchecked, however the burst is spread over replicas.
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { SqlRunner } from '../audit/db';

export interface LoginLimits {
  /** Sign-ins checked per client address (IPv6: per /64) in each window; a success gives its place back. */
  perIp: number;
  /** Failed sign-ins per account before the delay starts ("free" failures). */
  perAccount: number;
  /** The address's window; an account's failures are forgotten this long after its next attempt was allowed. */
  windowMs: number;
  /** The wait after the account's free failures (default 1 s); it doubles with each further failure. */
  firstDelayMs?: number;
  /** The longest wait between two attempts for one account (default `windowMs`): no long lock-out. */
  maxDelayMs?: number;
  /** Password checks (scrypt) running or queued at once in this process (default 16); beyond, 503. */
  maxChecksInFlight?: number;
}

export const DEFAULT_LOGIN_LIMITS: Required<LoginLimits> = {
  perIp: 30,
  perAccount: 5,
  windowMs: 15 * 60_000,
  firstDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  maxChecksInFlight: 16,
};

export const resolveLoginLimits = (limits: LoginLimits | undefined): Required<LoginLimits> => {
  const merged = { ...DEFAULT_LOGIN_LIMITS, ...limits };
  // A window given without a longest delay keeps the delay within it.
  if (limits && limits.maxDelayMs === undefined) merged.maxDelayMs = merged.windowMs;
  return merged;
};

/**
 * What one "address" is for the limits: an IPv4 address as it is; an IPv6 address by its /64 (one
 * customer's network: a host gets a whole /64 and may use any address in it); an IPv4-mapped IPv6
 * address (`::ffff:10.0.0.1`) as the IPv4 address. Anything unparsable counts as itself.
 */
export const addressGroup = (address: string): string => {
  if (isIP(address) === 4) return address;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.split('%')[0]!);
  } catch {
    return address;
  }
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const ipv6 = parsed as ipaddr.IPv6;
  if (ipv6.isIPv4MappedAddress()) return ipv6.toIPv4Address().toString();
  return `${ipv6.parts
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
};

// Times are timestamptz; every interval is built from milliseconds given as parameters.
const MS = (ms: string) => `((${ms})::float8 * interval '1 millisecond')`;
const EPOCH_MS = (expression: string) => `(extract(epoch FROM ${expression}) * 1000)::float8`;

/**
 * The address's attempts in a fixed window: counted (and `window_start` returned, to give the place
 * back later) while under the limit or once the window is over; else not counted, and the wait told.
 * $1 key, $2 now, $3 limit, $4 window (ms).
 */
const COUNT_ADDRESS = `
  WITH counted AS (
    INSERT INTO sign_in_attempts AS t (key, attempts, window_start, last_at, expires_at)
    VALUES ($1, 1, $2::timestamptz, $2::timestamptz, $2::timestamptz + ${MS('$4')})
    ON CONFLICT (key) DO UPDATE SET
      attempts = CASE WHEN t.expires_at <= $2::timestamptz THEN 1 ELSE t.attempts + 1 END,
      window_start = CASE WHEN t.expires_at <= $2::timestamptz THEN $2::timestamptz ELSE t.window_start END,
      last_at = $2::timestamptz,
      expires_at = CASE WHEN t.expires_at <= $2::timestamptz THEN $2::timestamptz + ${MS('$4')} ELSE t.expires_at END
    WHERE t.expires_at <= $2::timestamptz OR t.attempts < $3::integer
    RETURNING t.window_start
  )
  SELECT true AS counted, window_start::text AS "windowStart", 0::float8 AS "waitMs" FROM counted
  UNION ALL
  SELECT false, window_start::text, ${EPOCH_MS('expires_at - $2::timestamptz')}
  FROM sign_in_attempts WHERE key = $1 AND NOT EXISTS (SELECT 1 FROM counted)`;

/** An attempt that was counted but not checked (503), or an address's place given back after a success. */
const UNCOUNT_ADDRESS = `
  UPDATE sign_in_attempts SET attempts = attempts - 1
  WHERE key = $1 AND window_start = $2::timestamptz AND attempts > 0`;

/**
 * The wait before the next attempt for an account that has `failures`: none for the first
 * `$free`, then `$first` ms doubling with each further one, up to `$max`.
 * $3 free failures, $4 first delay (ms), $5 longest delay (ms).
 */
const DELAY = (failures: string) =>
  `(CASE WHEN ${failures} < $3::integer THEN interval '0' ELSE ${MS(`least($5::float8, $4::float8 * power(2::float8, least(${failures} - $3::integer, 60)))`)} END)`;

/**
 * The account's failures (each attempt is counted as one before its check; a success deletes the
 * row): counted while under the free ones, then when the wait since the last one is over. They are
 * forgotten a window ($6 ms) after the next attempt was allowed. Attempts may arrive out of time
 * order (two at once, replicas' clocks a little apart): a free one is counted whatever its time, and
 * `last_at` never moves back. $1 key, $2 now, $3–$5 as DELAY, $6 window (ms).
 */
const COUNT_ACCOUNT = `
  WITH counted AS (
    INSERT INTO sign_in_attempts AS t (key, attempts, window_start, last_at, expires_at)
    VALUES ($1, 1, $2::timestamptz, $2::timestamptz, $2::timestamptz + ${MS('$5::float8 + $6::float8')})
    ON CONFLICT (key) DO UPDATE SET
      attempts = CASE WHEN t.last_at + ${DELAY('t.attempts')} + ${MS('$6')} <= $2::timestamptz THEN 1 ELSE t.attempts + 1 END,
      window_start = CASE WHEN t.last_at + ${DELAY('t.attempts')} + ${MS('$6')} <= $2::timestamptz THEN $2::timestamptz ELSE t.window_start END,
      last_at = greatest(t.last_at, $2::timestamptz),
      expires_at = greatest(t.expires_at, $2::timestamptz + ${MS('$5::float8 + $6::float8')})
    WHERE t.attempts < $3::integer OR t.last_at + ${DELAY('t.attempts')} <= $2::timestamptz
    RETURNING t.attempts
  )
  SELECT true AS counted, attempts, 0::float8 AS "waitMs" FROM counted
  UNION ALL
  SELECT false, attempts, ${EPOCH_MS(`last_at + ${DELAY('attempts')} - $2::timestamptz`)}
  FROM sign_in_attempts WHERE key = $1 AND NOT EXISTS (SELECT 1 FROM counted)`;

const UNCOUNT_ACCOUNT = 'UPDATE sign_in_attempts SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0';
const FORGET = 'DELETE FROM sign_in_attempts WHERE key = $1';
const PRUNE = 'DELETE FROM sign_in_attempts WHERE expires_at <= $1::timestamptz';
const PRUNE_EVERY_MS = 60_000;

interface CountRow {
  counted: boolean;
  waitMs: number;
}

/** A counted attempt: its password may now be checked. */
export interface CountedAttempt {
  /** The right password: the account's failures are forgotten and the address gets its place back. */
  succeeded(): Promise<void>;
  /** Not checked after all (no capacity): both counts are taken back. */
  cancel(): Promise<void>;
}

export type AttemptVerdict = { counted: true; attempt: CountedAttempt } | { counted: false; retryAfterSeconds: number };

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export const createLoginThrottle = ({ sql, limits, now }: { sql: SqlRunner; limits: Required<LoginLimits>; now: () => number }) => {
  let prunedAt = 0;
  const prune = (at: string, atMs: number) => {
    if (atMs - prunedAt < PRUNE_EVERY_MS && atMs >= prunedAt) return;
    prunedAt = atMs;
    // Rows past any use; a failure here only leaves them for the next time.
    void sql.query(PRUNE, [at]).catch(() => {});
  };

  return {
    /**
     * Counts one attempt from `address` for `email`, before its password is checked. Refused (not
     * counted, not to be checked) while the address is at its limit or the account must wait.
     */
    count: async (address: string, email: string): Promise<AttemptVerdict> => {
      const atMs = now();
      const at = new Date(atMs).toISOString();
      const addressKey = `address:${addressGroup(address)}`;
      const accountKey = `account:${email}`;
      prune(at, atMs);

      // The account first: a burst at one account is refused there, without touching the address's count.
      const [byAccount] = await sql.query<CountRow>(COUNT_ACCOUNT, [
        accountKey,
        at,
        limits.perAccount,
        limits.firstDelayMs,
        limits.maxDelayMs,
        limits.windowMs,
      ]);
      // No row: another statement made it meanwhile and it was not counted; a second is a fair wait.
      if (!byAccount?.counted) return { counted: false, retryAfterSeconds: seconds(byAccount?.waitMs ?? 1000) };
      const takeBackAccount = () => sql.query(UNCOUNT_ACCOUNT, [accountKey]).then(() => {});

      let byAddress: (CountRow & { windowStart: string }) | undefined;
      try {
        [byAddress] = await sql.query<CountRow & { windowStart: string }>(COUNT_ADDRESS, [addressKey, at, limits.perIp, limits.windowMs]);
      } catch (error) {
        await takeBackAccount().catch(() => {});
        throw error;
      }
      if (!byAddress?.counted) {
        // Refused for the address: the account's attempt is taken back, as it will not be checked.
        await takeBackAccount();
        return { counted: false, retryAfterSeconds: seconds(byAddress?.waitMs ?? 1000) };
      }
      const windowStart = byAddress.windowStart;
      const giveBackAddress = () => sql.query(UNCOUNT_ADDRESS, [addressKey, windowStart]).then(() => {});
      return {
        counted: true,
        attempt: {
          succeeded: async () => {
            await Promise.all([sql.query(FORGET, [accountKey]), giveBackAddress()]);
          },
          cancel: async () => {
            await Promise.all([takeBackAccount(), giveBackAddress()]);
          },
        },
      };
    },
  };
};
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

/** How many password checks may run or wait for the thread pool at once; beyond, the caller answers 503. */
export const createCheckGate = (max: number) => {
  let inFlight = 0;
  return {
    get full() {
      return inFlight >= max;
    },
    tryEnter: () => {
      if (inFlight >= max) return false;
      inFlight += 1;
      return true;
    },
    leave: () => {
      inFlight -= 1;
    },
  };
};
