import { z } from 'zod/mini';
import { attrSetTokenSchema, destinationTokenSchema, percentageSchema, TOKEN_PATTERNS, toBasisPoints, type ChangeReasonMode } from '../../../api';
import { formatPercent } from '../../lib/format';
import type { Destination } from '../catalog/api/get-service';
import { reasonFieldSchema } from './change-reason';

export interface RuleFormContext {
  walletCurrency: string;
  unallocatedBp: number;
  usedDestinations: ReadonlySet<string>;
  /** The destination behind a token: `null` when MassPay knows none, `undefined` when it could not be asked. */
  resolveDestination: (token: string) => Promise<Destination | null | undefined>;
}

const trimmed = () => z.string().check(z.trim());

/** A percentage as typed (text) to a number within the contract's bounds. */
const typedPercentage = () =>
  z.pipe(trimmed().check(z.minLength(1, 'Enter a percentage'), z.regex(/^-?\d+(\.\d+)?$/, 'Enter a number, such as 15 or 12.5')), z.transform(Number));

/** The rule's fields (no reason): what MassPay's add takes, checked against what only this wallet knows. */
const ruleFields = (ctx: RuleFormContext) => ({
  destination_token: z.pipe(
    trimmed().check(z.minLength(1, 'Enter a destination token, or pick a country and a service')),
    destinationTokenSchema.check(
      z.refine((token) => !ctx.usedDestinations.has(token), 'This wallet already has a rule for this destination'),
      z.superRefine(async (token, issue) => {
        // zod runs every check; only a well-formed token is worth asking MassPay about.
        if (!TOKEN_PATTERNS.destination.test(token) || ctx.usedDestinations.has(token)) return;
        const destination = await ctx.resolveDestination(token);
        if (destination === null) issue.addIssue({ code: 'custom', message: 'No payout destination has this token', input: token });
        else if (destination && destination.currency !== ctx.walletCurrency) {
          issue.addIssue({
            code: 'custom',
            input: token,
            message: `${destination.payerName} pays out in ${destination.currency ?? 'another currency'}; this wallet holds ${ctx.walletCurrency}, and autopay never converts currency`,
          });
        }
      }),
    ),
  ),
  percentage: z.pipe(
    typedPercentage(),
    percentageSchema.check(z.refine((p) => toBasisPoints(p) <= ctx.unallocatedBp, `At most ${ctx.unallocatedBp / 100} % is unallocated`)),
  ),
  attr_set_token: trimmed().check(
    z.refine((value) => value === '' || attrSetTokenSchema.safeParse(value).success, 'An attribute set token looks like attr_set_…'),
  ),
});

const toRuleInput = ({ destination_token, percentage, attr_set_token }: { destination_token: string; percentage: number; attr_set_token: string }) => ({
  destination_token,
  percentage,
  ...(attr_set_token ? { attr_set_token } : {}),
});

/**
 * The add-rule form: the shared contract (`src/api`) plus what only this wallet knows — its
 * currency, its unallocated share, the destinations it already pays. Each message says what to do.
 */
export const ruleFormSchema = (ctx: RuleFormContext) => z.pipe(z.object(ruleFields(ctx)), z.transform(toRuleInput));

/** What the rule form holds as typed, inferred from its schema. */
export type RuleFormValues = z.input<ReturnType<typeof ruleFormSchema>>;
export type RuleFormOutput = z.output<ReturnType<typeof ruleFormSchema>>;

/**
 * "Add autopay rule" as a whole: the rule (the request body, and what its Idempotency-Key belongs to)
 * and the reason, which travels as `X-Change-Reason` and is no part of the submission's identity.
 */
export const addRuleFormSchema = (ctx: RuleFormContext & { reasonMode: ChangeReasonMode }) =>
  z.pipe(
    z.object({ ...ruleFields(ctx), reason: reasonFieldSchema(ctx.reasonMode) }),
    z.transform(({ reason, ...rule }) => ({ input: toRuleInput(rule), reason })),
  );

/** What "Add autopay rule" holds as typed (the rule's fields and the reason), inferred from its schema. */
export type AddRuleFormValues = z.input<ReturnType<typeof addRuleFormSchema>>;
export type AddRuleFormOutput = z.output<ReturnType<typeof addRuleFormSchema>>;

export interface ChangePercentageContext {
  /** The rule's percentage now. */
  current: number;
  /** What the wallet's other rules take, in basis points. */
  othersBp: number;
  reasonMode: ChangeReasonMode;
}

export interface ChangePercentageFormValues {
  percentage: string;
  reason: string;
}

/**
 * "Change percentage": a new share for one rule, within what the other rules leave (others + new ≤
 * 100 %), and not the share it has now.
 */
export const changePercentageFormSchema = (ctx: ChangePercentageContext) => {
  const maxBp = Math.max(0, 10_000 - ctx.othersBp);
  return z.object({
    percentage: z.pipe(
      typedPercentage(),
      percentageSchema.check(
        z.refine((p) => toBasisPoints(p) !== toBasisPoints(ctx.current), `This rule already sends ${formatPercent(ctx.current)}: enter another percentage`),
        z.refine((p) => toBasisPoints(p) <= maxBp, `At most ${formatPercent(maxBp / 100)} fits: the other rules take ${formatPercent(ctx.othersBp / 100)}`),
      ),
    ),
    reason: reasonFieldSchema(ctx.reasonMode),
  });
};

export type ChangePercentageFormOutput = z.output<ReturnType<typeof changePercentageFormSchema>>;
