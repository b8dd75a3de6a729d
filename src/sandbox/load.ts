import { randomUUID } from 'node:crypto';
import { fromCents, splitByBasisPoints, toBasisPoints, toCents, type LoadInput, type LoadResult } from '../api';
import { findDestination } from './catalog';
import { badRequest } from './errors';
import { loadRow, payoutRow } from './seed';
import type { Store } from './store';

/**
 * #11. MassPay does not say which wallet a load lands in; the sandbox takes the user's first active
 * USER_FUNDS wallet (creation order) in the source currency, then applies that wallet's rules: one
 * payout per rule, each share rounded down to the cent so the shares never exceed the load.
 */
export const applyLoad = (store: Store, userToken: string, input: LoadInput, now: Date): LoadResult => {
  const history = store.historyOf(userToken);
  if (history.some((row) => row.type === 'load' && row.client_transfer_id === input.client_load_id)) {
    throw badRequest('A load with this client_load_id was already made for this user', 'client_load_id');
  }
  const currency = input.source_currency_code ?? 'USD';
  const wallet = store.walletsOf(userToken).find((w) => w.active && w.type === 'USER_FUNDS' && w.currency_code === currency);
  if (!wallet) throw badRequest(`The user has no active USER_FUNDS wallet in ${currency}`, 'source_currency_code');

  const loadToken = `ld_${randomUUID()}`;
  const scheduled = input.time_to_process !== undefined && Date.parse(input.time_to_process) > now.getTime();
  const row = {
    ...loadRow(wallet, loadToken, input.amount, now.toISOString(), input.notes ?? ''),
    source_token: input.source_token,
    client_transfer_id: input.client_load_id,
    ...(scheduled ? { status: 'SCHEDULED' as const, time_of_txn: input.time_to_process! } : {}),
  };
  history.push(row);
  if (scheduled) return { load_token: loadToken, status: 'SCHEDULED', wallet_token: wallet.token };

  const amountCents = toCents(input.amount);
  const rules = store.rulesOf(wallet.token);
  // Rules total over 100 % only under the lenient policy: they are paid in creation order until the
  // load is spent, so a load never pays out more than it brought (and a balance never goes negative).
  let leftCents = amountCents;
  const shares = splitByBasisPoints(
    amountCents,
    rules.map((r) => toBasisPoints(r.percentage)),
  ).map((share) => {
    const paid = Math.min(share, leftCents);
    leftCents -= paid;
    return paid;
  });
  rules.forEach((rule, i) => {
    const destination = findDestination(rule.destination_token);
    if (!destination || shares[i] === 0) return;
    history.push(payoutRow(wallet, destination, `pyt_${randomUUID()}`, fromCents(shares[i]!), now.toISOString(), loadToken));
  });
  const paidCents = shares.reduce((sum, s) => sum + s, 0);
  wallet.balance = fromCents(toCents(wallet.balance) + amountCents - paidCents);
  return { load_token: loadToken, status: 'COMPLETED', wallet_token: wallet.token };
};
