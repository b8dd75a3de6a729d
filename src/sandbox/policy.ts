import { z } from 'zod';
import { payerCurrency, toBasisPoints, type AutopayRuleInput, type Wallet } from '../api';
import { findDestination, toPayer } from './catalog';
import { badRequest } from './errors';
import type { Store } from './store';

/**
 * `strict` (the default) enforces this project's whole policy (README). `lenient` keeps only what
 * MassPay documents (the currency rule, 404s, input formats), so that the console's own enforcement
 * of the cap, unique destinations and idempotency can be tested against an upstream that lets
 * everything through.
 */
export const sandboxPolicySchema = z.enum(['strict', 'lenient'], { error: 'must be "strict" or "lenient"' });
export type SandboxPolicy = z.output<typeof sandboxPolicySchema>;

/** The body of `PUT /__sandbox/policy`, and what `GET` answers. */
export const policySettingSchema = z.strictObject({ policy: sandboxPolicySchema });

/**
 * This project's autopay policy (README). MassPay documents only the currency rule; the rest keeps
 * a wallet's rules meaningful: each a real share, together at most everything, one per destination.
 * The inactive-wallet refusal stays in both modes: adding to a closed wallet is never a useful test.
 */
export const checkNewRule = (store: Store, wallet: Wallet, input: AutopayRuleInput, policy: SandboxPolicy): void => {
  if (!wallet.active) throw badRequest('The wallet is inactive: no new autopay rule can be added to it', 'wallet_token');
  const destination = findDestination(input.destination_token);
  if (!destination) throw badRequest('No payout destination has this token', 'destination_token');
  const currency = payerCurrency(toPayer(destination));
  if (currency !== wallet.currency_code) {
    throw badRequest(
      `The destination pays out in ${currency ?? 'an unknown currency'}, the wallet holds ${wallet.currency_code}: autopay never converts currency`,
      'destination_token',
    );
  }
  if (policy === 'lenient') return;
  const rules = store.rulesOf(wallet.token);
  if (rules.some((r) => r.destination_token === input.destination_token)) {
    throw badRequest('The wallet already has a rule for this destination', 'destination_token');
  }
  const allocatedBp = rules.reduce((sum, r) => sum + toBasisPoints(r.percentage), 0);
  if (allocatedBp + toBasisPoints(input.percentage) > 10_000) {
    const left = (10_000 - allocatedBp) / 100;
    throw badRequest(`The wallet's rules would total more than 100 %: at most ${left} % is unallocated`, 'percentage');
  }
};

/** The live policy, one object shared by the MassPay routes, the admin route and `Sandbox.policy`. */
export interface PolicyHolder {
  current: SandboxPolicy;
}
