import { z } from 'zod/mini';
import { attrSetTokenSchema, destinationTokenSchema, percentageSchema, TOKEN_PATTERNS, toBasisPoints } from '../../../api';
import type { Destination } from '../catalog/api/get-service';

export interface RuleFormContext {
  walletCurrency: string;
  unallocatedBp: number;
  usedDestinations: ReadonlySet<string>;
  /** The destination behind a token: `null` when MassPay knows none, `undefined` when it could not be asked. */
  resolveDestination: (token: string) => Promise<Destination | null | undefined>;
}

export interface RuleFormValues {
  destination_token: string;
  percentage: string;
  attr_set_token: string;
}

const trimmed = () => z.string().check(z.trim());

/**
 * The add-rule form: the shared contract (`src/api`) plus what only this wallet knows — its
 * currency, its unallocated share, the destinations it already pays. Each message says what to do.
 */
export const ruleFormSchema = (ctx: RuleFormContext) =>
  z.pipe(
    z.object({
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
        z.pipe(
          trimmed().check(z.minLength(1, 'Enter a percentage'), z.regex(/^-?\d+(\.\d+)?$/, 'Enter a number, such as 15 or 12.5')),
          z.transform(Number),
        ),
        percentageSchema.check(z.refine((p) => toBasisPoints(p) <= ctx.unallocatedBp, `At most ${ctx.unallocatedBp / 100} % is unallocated`)),
      ),
      attr_set_token: trimmed().check(
        z.refine((value) => value === '' || attrSetTokenSchema.safeParse(value).success, 'An attribute set token looks like attr_set_…'),
      ),
    }),
    z.transform(({ destination_token, percentage, attr_set_token }) => ({
      destination_token,
      percentage,
      ...(attr_set_token ? { attr_set_token } : {}),
    })),
  );

export type RuleFormOutput = z.output<ReturnType<typeof ruleFormSchema>>;
