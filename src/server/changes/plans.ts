// The plans of percentage changes: each written before its step runs, so whichever replica next holds
// the wallet's lock can finish or compensate a change whose process died between the two steps.
import type { StaffRole } from '../../api';
import type { SqlRunner } from '../audit/db';

/** `deleting` → `creating` → `done`; a create that fails → `compensating` → `compensated`. */
export const OPEN_STATES = ['deleting', 'creating', 'compensating'] as const;
export type PlanState = (typeof OPEN_STATES)[number] | 'done' | 'compensated' | 'abandoned' | 'failed';

export interface Plan {
  id: string;
  userToken: string;
  walletToken: string;
  destinationToken: string;
  oldRuleToken: string;
  oldPercentage: number;
  newPercentage: number;
  attrSetToken: string | null;
  newRuleToken: string | null;
  state: PlanState;
  staffEmail: string;
  staffRole: StaffRole;
  reason: string | null;
  idempotencyKey: string | null;
}

export const isOpen = (state: PlanState) => (OPEN_STATES as readonly string[]).includes(state);

const COLUMNS = `id, user_token AS "userToken", wallet_token AS "walletToken", destination_token AS "destinationToken",
  old_rule_token AS "oldRuleToken", old_percentage::float8 AS "oldPercentage", new_percentage::float8 AS "newPercentage",
  attr_set_token AS "attrSetToken", new_rule_token AS "newRuleToken", state, staff_email AS "staffEmail",
  staff_role AS "staffRole", reason, idempotency_key AS "idempotencyKey"`;

export const createPlanStore = (db: SqlRunner) => ({
  insert: async (plan: Plan) => {
    await db.query(
      `INSERT INTO rule_changes (id, user_token, wallet_token, destination_token, old_rule_token, old_percentage,
         new_percentage, attr_set_token, state, staff_email, staff_role, reason, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        plan.id,
        plan.userToken,
        plan.walletToken,
        plan.destinationToken,
        plan.oldRuleToken,
        plan.oldPercentage,
        plan.newPercentage,
        plan.attrSetToken,
        plan.state,
        plan.staffEmail,
        plan.staffRole,
        plan.reason,
        plan.idempotencyKey,
      ],
    );
  },
  /** Durable before the next step is sent. */
  advance: async (plan: Plan, state: PlanState, newRuleToken: string | null = plan.newRuleToken): Promise<Plan> => {
    await db.query('UPDATE rule_changes SET state = $2, new_rule_token = $3, updated_at = now() WHERE id = $1', [plan.id, state, newRuleToken]);
    return { ...plan, state, newRuleToken };
  },
  get: async (id: string): Promise<Plan | undefined> => (await db.query<Plan>(`SELECT ${COLUMNS} FROM rule_changes WHERE id = $1`, [id]))[0],
  /** Plans left open, oldest first: a change still running holds its wallet's lock, so recovery skips it. */
  open: (): Promise<Plan[]> =>
    db.query<Plan>(`SELECT ${COLUMNS} FROM rule_changes WHERE state IN ('deleting', 'creating', 'compensating') ORDER BY updated_at LIMIT 100`),
});
export type PlanStore = ReturnType<typeof createPlanStore>;
