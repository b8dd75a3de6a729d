// Change requests that wait for a second person (issue 14), in the console's database. Every status
// change is one conditional UPDATE, so on any number of replicas one decision wins and the others see
// the request already decided.
import { createHash, randomUUID } from 'node:crypto';
import { toBasisPoints, type AutopayRule, type ChangeRequest, type ChangeRequestQuery, type ChangeRequestStatus, type StaffRole } from '../../api';
import type { SqlRunner } from '../audit/db';

/** A stable fingerprint of a wallet's rules, whatever their order. */
export const rulesFingerprint = (rules: readonly AutopayRule[]) =>
  createHash('sha256')
    .update(
      rules
        .map((rule) => `${rule.token}\u0000${rule.destination_token}\u0000${toBasisPoints(rule.percentage)}`)
        .sort()
        .join('\u0001'),
    )
    .digest('hex')
    .slice(0, 32);

export type NewChangeRequest = Pick<
  ChangeRequest,
  | 'action'
  | 'userToken'
  | 'walletToken'
  | 'destinationToken'
  | 'percentage'
  | 'ruleToken'
  | 'previousPercentage'
  | 'attrSetToken'
  | 'reason'
  | 'approvalReason'
  | 'requestedBy'
> & { requestedRole: StaffRole; rulesAtRequest: AutopayRule[] };

const COLUMNS = `id, status, action, user_token AS "userToken", wallet_token AS "walletToken", destination_token AS "destinationToken",
  percentage::float8 AS percentage, rule_token AS "ruleToken", previous_percentage::float8 AS "previousPercentage",
  attr_set_token AS "attrSetToken", reason,
  approval_reason AS "approvalReason", requested_by AS "requestedBy", requested_role AS "requestedRole",
  to_char(requested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "requestedAt",
  to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "expiresAt", decided_by AS "decidedBy",
  to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "decidedAt", comment,
  result_rule_token AS "resultRuleToken", result_detail AS "resultDetail", rules_at_request AS "rulesAtRequest",
  rules_fingerprint AS "rulesFingerprint"`;

export type StoredChangeRequest = ChangeRequest & { requestedRole: StaffRole };

interface Row extends Omit<StoredChangeRequest, 'rulesAtRequest'> {
  rulesAtRequest: AutopayRule[] | string;
}

// node-postgres parses jsonb; PGlite too, but a text column read back must still work.
const fromRow = (row: Row): StoredChangeRequest => ({
  ...row,
  rulesAtRequest: typeof row.rulesAtRequest === 'string' ? (JSON.parse(row.rulesAtRequest) as AutopayRule[]) : row.rulesAtRequest,
});

/** `pending` → `approved` | `rejected` | `withdrawn` | `expired`; `approved` → `applied` | `failed`. */
export type Decision = 'approved' | 'rejected' | 'withdrawn';

export const createChangeRequestStore = (db: SqlRunner, { ttlHours, pageSize }: { ttlHours: number; pageSize: number }) => ({
  create: async (input: NewChangeRequest, id: string = randomUUID()): Promise<StoredChangeRequest> => {
    const [row] = await db.query<Row>(
      `INSERT INTO change_requests (id, status, action, user_token, wallet_token, destination_token, percentage, rule_token,
         previous_percentage, attr_set_token, reason, approval_reason, requested_by, requested_role, expires_at, rules_at_request, rules_fingerprint)
       VALUES ($1, 'pending', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now() + $14::interval, $15::jsonb, $16)
       RETURNING ${COLUMNS}`,
      [
        id,
        input.action,
        input.userToken,
        input.walletToken,
        input.destinationToken,
        input.percentage,
        input.ruleToken,
        input.previousPercentage,
        input.attrSetToken,
        input.reason,
        input.approvalReason,
        input.requestedBy,
        input.requestedRole,
        `${ttlHours} hours`,
        JSON.stringify(input.rulesAtRequest),
        rulesFingerprint(input.rulesAtRequest),
      ],
    );
    return fromRow(row!);
  },

  get: async (id: string): Promise<StoredChangeRequest | undefined> => {
    const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM change_requests WHERE id = $1`, [id]);
    return row && fromRow(row);
  },

  /** Pending first (oldest waiting longest first), then the decided, newest first. */
  list: async (query: ChangeRequestQuery) => {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (query.status) add('status = ?', query.status);
    if (query.user) add('user_token = ?', query.user);
    if (query.wallet) add('wallet_token = ?', query.wallet);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const page = query.page ?? 1;
    const [counts] = await db.query<{ total: number; pending: number }>(
      `SELECT (SELECT count(*) FROM change_requests ${filter})::int AS total,
              (SELECT count(*) FROM change_requests WHERE status = 'pending')::int AS pending`,
      params,
    );
    const rows = await db.query<Row>(
      `SELECT ${COLUMNS} FROM change_requests ${filter}
       ORDER BY (status = 'pending') DESC,
                CASE WHEN status = 'pending' THEN requested_at END ASC,
                requested_at DESC, id
       LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      params,
    );
    return { items: rows.map(fromRow), total: counts!.total, pendingCount: counts!.pending, page, pageSize };
  },

  /**
   * A pending request decided by `by`: the one UPDATE that changes it wins; undefined when it was no
   * longer pending (decided meanwhile, or expired).
   */
  decide: async (id: string, decision: Decision, by: string, comment: string | null): Promise<StoredChangeRequest | undefined> => {
    const [row] = await db.query<Row>(
      `UPDATE change_requests SET status = $2, decided_by = $3, decided_at = now(), comment = $4, updated_at = now()
       WHERE id = $1 AND status = 'pending' AND expires_at > now()
       RETURNING ${COLUMNS}`,
      [id, decision, by, comment],
    );
    return row && fromRow(row);
  },

  /** How an approved request's change ended. `approved` again: its outcome is not known yet (a retry finishes it). */
  finish: async (
    id: string,
    status: Extract<ChangeRequestStatus, 'applied' | 'failed' | 'approved'>,
    result: { ruleToken: string | null; detail: string | null },
  ) => {
    const [row] = await db.query<Row>(
      `UPDATE change_requests SET status = $2, result_rule_token = $3, result_detail = $4, updated_at = now()
       WHERE id = $1 AND status = 'approved'
       RETURNING ${COLUMNS}`,
      [id, status, result.ruleToken, result.detail],
    );
    return row && fromRow(row);
  },

  /**
   * An approved request whose change may be carried out again: its last attempt ended without an
   * outcome (`result_detail` says why), or it has run longer than `leaseMs` (its replica died). One
   * caller gets it; the others see it still running.
   */
  claimRetry: async (id: string, leaseMs: number): Promise<StoredChangeRequest | undefined> => {
    const [row] = await db.query<Row>(
      `UPDATE change_requests SET result_detail = NULL, updated_at = now()
       WHERE id = $1 AND status = 'approved' AND (result_detail IS NOT NULL OR updated_at < now() - $2::interval)
       RETURNING ${COLUMNS}`,
      [id, `${leaseMs} milliseconds`],
    );
    return row && fromRow(row);
  },

  /** Approved requests running longer than `leaseMs` without an outcome: their replica died (see claimRetry). */
  unfinished: async (leaseMs: number): Promise<string[]> =>
    (
      await db.query<{ id: string }>(
        `SELECT id FROM change_requests WHERE status = 'approved' AND result_detail IS NULL AND updated_at < now() - $1::interval ORDER BY updated_at LIMIT 50`,
        [`${leaseMs} milliseconds`],
      )
    ).map((row) => row.id),

  /** Pending requests past their time become `expired`; each is returned once, to the replica that expired it. */
  expire: async (): Promise<StoredChangeRequest[]> =>
    (
      await db.query<Row>(
        `UPDATE change_requests SET status = 'expired', updated_at = now()
         WHERE status = 'pending' AND expires_at <= now()
         RETURNING ${COLUMNS}`,
      )
    ).map(fromRow),
});
export type ChangeRequestStore = ReturnType<typeof createChangeRequestStore>;
