// The audit log's hash chain, checked from outside the database: each entry's SHA-256 is recomputed
// here, in Node, from the previous entry's stored hash and the entry's own fields, exactly as
// migration 5's `audit_log_entry_hash` computes it when the entry is appended. A changed field, a
// removed or reordered entry, or one inserted with the trigger off breaks the chain at that entry.
// What the chain cannot show on its own: the whole chain recomputed after a change by someone who can
// write the table as its owner. An anchor (an id and its hash noted earlier) catches that up to it.
import { createHash } from 'node:crypto';
import type { AuditChainStatus } from '../../api';
import type { SqlRunner } from './db';

/** What one check found. */
export interface ChainVerdict {
  /** Every entry checked matches the chain (and the anchor, if one was given). */
  verified: boolean;
  checkedEntries: number;
  /** The first entry that does not match, as a decimal string. */
  brokenAt?: string;
  /** How many entries did not match. */
  brokenEntries: number;
  /** Why it failed, for staff and operators. */
  detail?: string;
  /** The last entry checked: note it, and give it as an anchor to a later check. */
  head?: { id: string; hash: string };
}

/** One entry's fields as the chain hashes them: text exactly as PostgreSQL writes them, or null. */
interface ChainRow {
  id: string;
  at: string;
  staff_email: string;
  staff_role: string;
  action: string;
  user_token: string;
  wallet_token: string;
  destination_token: string | null;
  percentage: string | null;
  rule_token: string | null;
  idempotency_key: string | null;
  masspay_status: string | null;
  outcome: string;
  request_id: string;
  change_id: string | null;
  reason: string | null;
  hash: string | null;
}

const FIELDS = [
  'id',
  'at',
  'staff_email',
  'staff_role',
  'action',
  'user_token',
  'wallet_token',
  'destination_token',
  'percentage',
  'rule_token',
  'idempotency_key',
  'masspay_status',
  'outcome',
  'request_id',
  'change_id',
  'reason',
] as const satisfies readonly (keyof ChainRow)[];

// The same text forms as audit_log_entry_hash: `at` in UTC to the microsecond, numbers as PostgreSQL
// prints them. `audit_log.id`, not `id`, in ORDER BY: a bare `id` would sort by the text alias.
const SELECT_ROWS = `
  SELECT id::text AS id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
    staff_email, staff_role, action, user_token, wallet_token, destination_token, percentage::text AS percentage,
    rule_token, idempotency_key, masspay_status::text AS masspay_status, outcome, request_id, change_id, reason,
    encode(hash, 'hex') AS hash
  FROM audit_log WHERE audit_log.id > $1::bigint ORDER BY audit_log.id LIMIT $2`;

const field = (value: string | null) => (value === null ? 'N' : `S${Buffer.byteLength(value, 'utf8')}:${value}`);

/** The entry's canonical content (version 1): what its hash covers besides the previous hash. */
export const canonicalContent = (row: Pick<ChainRow, (typeof FIELDS)[number]>): string => `audit_log/v1${FIELDS.map((name) => field(row[name])).join('')}`;

/** SHA-256 of the previous entry's hash (nothing before the first entry) and the entry's canonical content. */
export const entryHash = (previous: Buffer | undefined, row: Pick<ChainRow, (typeof FIELDS)[number]>): Buffer =>
  createHash('sha256')
    .update(previous ?? Buffer.alloc(0))
    .update(canonicalContent(row), 'utf8')
    .digest();

export interface VerifyOptions {
  /** Entries read per query (keyset on id). */
  batchSize?: number;
  /** An entry noted earlier: it must still be there with this hash. */
  anchor?: { id: string; hash: string };
}

/**
 * Walks the whole log in id order and recomputes every hash. Reads only (SELECT on audit_log), so the
 * application's role can run it. Appends made meanwhile are checked too when they are read.
 */
export const verifyAuditChain = async (db: SqlRunner, { batchSize = 5_000, anchor }: VerifyOptions = {}): Promise<ChainVerdict> => {
  let previous: Buffer | undefined;
  let lastId = '0';
  let lastHash = '';
  let checkedEntries = 0;
  let brokenEntries = 0;
  let brokenAt: string | undefined;
  let detail: string | undefined;
  let anchorSeen = false;
  const anchorHash = anchor?.hash.toLowerCase();
  for (;;) {
    const rows = await db.query<ChainRow>(SELECT_ROWS, [lastId, batchSize]);
    for (const row of rows) {
      checkedEntries += 1;
      const expected = entryHash(previous, row);
      if (row.hash === null || row.hash !== expected.toString('hex')) {
        brokenEntries += 1;
        if (brokenAt === undefined) {
          brokenAt = row.id;
          detail =
            row.hash === null
              ? `Entry ${row.id} has no hash: it was written with the database's trigger turned off.`
              : `Entry ${row.id} does not match the chain: it was changed, or an entry before it was removed, changed or added out of turn.`;
        }
      }
      if (anchor && row.id === anchor.id) {
        anchorSeen = true;
        if (row.hash !== anchorHash && brokenAt === undefined) {
          brokenAt = row.id;
          brokenEntries += 1;
          detail = `Entry ${row.id} no longer has the hash noted for it: the log was rewritten up to it.`;
        }
      }
      // A broken entry's stored hash goes on: one changed entry is reported once, not with every entry after it.
      previous = row.hash === null ? expected : Buffer.from(row.hash, 'hex');
      lastId = row.id;
      lastHash = row.hash ?? '';
    }
    if (rows.length < batchSize) break;
  }
  if (anchor && !anchorSeen && brokenAt === undefined) {
    brokenAt = anchor.id;
    brokenEntries += 1;
    detail = `Entry ${anchor.id}, noted earlier, is missing: the log was cut short or rewritten.`;
  }
  return {
    verified: brokenAt === undefined,
    checkedEntries,
    brokenEntries,
    ...(brokenAt === undefined ? {} : { brokenAt, detail }),
    ...(checkedEntries > 0 ? { head: { id: lastId, hash: lastHash } } : {}),
  };
};

/**
 * The chain as admins see it on `/audit`: one check at a time over the whole log, its result fresh for
 * `maxAgeMs`. After that the last result is still answered at once (with its `checkedAt`) while a new
 * check runs, so a page never waits for a long log to be read — but the very first one does. The head
 * of each good check becomes the anchor of the next, so a log cut short or rewritten while the server
 * runs is caught too, not only a changed entry. Batches of 1,000 entries: on the embedded store (one
 * session) appends are never held up longer than one batch.
 */
export const createChainMonitor = (db: SqlRunner, { maxAgeMs = 30_000, now = Date.now }: { maxAgeMs?: number; now?: () => number } = {}) => {
  let cached: { at: number; status: AuditChainStatus } | undefined;
  let running: Promise<AuditChainStatus> | undefined;
  let anchor: { id: string; hash: string } | undefined;

  const check = async (): Promise<AuditChainStatus> => {
    const verdict = await verifyAuditChain(db, { anchor, batchSize: 1_000 });
    if (verdict.verified && verdict.head) anchor = verdict.head;
    const status: AuditChainStatus = {
      verified: verdict.verified,
      checkedEntries: verdict.checkedEntries,
      checkedAt: new Date(now()).toISOString(),
      ...(verdict.brokenAt === undefined ? {} : { brokenAt: verdict.brokenAt, detail: verdict.detail }),
      ...(verdict.head ? { headId: verdict.head.id, headHash: verdict.head.hash } : {}),
    };
    cached = { at: now(), status };
    return status;
  };

  return {
    /** The last check's result, a new check started when it is older than `maxAgeMs` (awaited only when there is none yet). */
    status: (): Promise<AuditChainStatus> => {
      if (cached && now() - cached.at < maxAgeMs) return Promise.resolve(cached.status);
      running ??= check().finally(() => {
        running = undefined;
      });
      if (!cached) return running;
      // A failed background check leaves the last result standing; the next request tries again.
      running.catch(() => {});
      return Promise.resolve(cached.status);
    },
  };
};
