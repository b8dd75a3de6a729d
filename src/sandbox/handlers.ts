import { randomUUID } from 'node:crypto';
import type { z } from 'zod/mini';
import { ROUTES, type HistoryQuery, type RouteId, type TxnHistory } from '../api';
import { COUNTRIES, DESTINATIONS, findDestination, toCompanies, toService } from './catalog';
import { notFound } from './errors';
import { applyLoad } from './load';
import { checkNewRule, type SandboxPolicy } from './policy';
import type { TxnRecord } from './state';
import type { Store } from './store';

type Route<Id extends RouteId> = (typeof ROUTES)[Id];
type BodyOf<Id extends RouteId> = Route<Id> extends { body: z.ZodMiniType } ? z.output<Route<Id>['body']> : undefined;

export interface HandlerContext<Id extends RouteId> {
  store: Store;
  params: { [K in keyof Route<Id>['params']]: string };
  query: z.output<Route<Id>['query']>;
  body: BodyOf<Id>;
  now: Date;
  /** Read per request: the admin route may switch it while the sandbox runs. */
  policy: SandboxPolicy;
}

/**
 * A handler is synchronous on purpose: its checks and its change happen in one turn of the event
 * loop, so two racing requests can never both pass a check that only one of them may pass.
 */
export type Handler<Id extends RouteId> = (ctx: HandlerContext<Id>) => z.input<Route<Id>['response']>;

/** A payer's inclusive limits; 0 means no limit. */
const within = (d: { min_limit: number; max_limit: number }, amount: number | undefined) =>
  amount === undefined || ((d.min_limit === 0 || amount >= d.min_limit) && (d.max_limit === 0 || amount <= d.max_limit));

const requireUser = (store: Store, token: string) => {
  const user = store.user(token);
  if (!user) throw notFound('No user has this token');
  return user;
};

const requireWallet = (store: Store, userToken: string, walletToken: string) => {
  requireUser(store, userToken);
  const wallet = store.wallet(userToken, walletToken);
  if (!wallet) throw notFound('The user has no wallet with this token');
  return wallet;
};

const publicRow = ({ wallet_token: _wallet, ...row }: TxnRecord): TxnHistory => row;
const TYPE_OF_FILTER = { payout: 'payout', load: 'load', spendback: 'spend back' } as const;

/** #10's filters and paging over history rows, newest first. MassPay gives no total count. */
const pageOfHistory = (rows: readonly TxnRecord[], query: HistoryQuery): TxnHistory[] => {
  const types = query.type?.map((t) => TYPE_OF_FILTER[t]);
  const size = query.number_of_records ?? 10;
  const page = query.page ?? 1;
  return rows
    .filter(
      (row) =>
        (query.wallet_token === undefined || row.wallet_token === query.wallet_token) &&
        (!types || types.includes(row.type as (typeof types)[number])) &&
        (!query.start_date || row.time_of_txn.slice(0, 10) >= query.start_date) &&
        (!query.end_date || row.time_of_txn.slice(0, 10) <= query.end_date),
    )
    .sort((a, b) => b.time_of_txn.localeCompare(a.time_of_txn) || a.token.localeCompare(b.token))
    .slice((page - 1) * size, page * size)
    .map(publicRow);
};

export const handlers: { [Id in RouteId]: Handler<Id> } = {
  listWallets: ({ store, params }) => (requireUser(store, params.user_token), store.walletsOf(params.user_token)),

  listAutopayRules: ({ store, params }) => {
    const wallet = requireWallet(store, params.user_token, params.wallet_token);
    return store.rulesOf(wallet.token);
  },

  createAutopayRule: ({ store, params, body, policy }) => {
    const wallet = requireWallet(store, params.user_token, params.wallet_token);
    checkNewRule(store, wallet, body, policy);
    const rule = {
      token: `autopayout_${randomUUID()}`,
      destination_token: body.destination_token,
      percentage: body.percentage,
      attr_set_token: body.attr_set_token ?? '',
    };
    store.rulesOf(wallet.token).push(rule);
    return rule;
  },

  deleteAutopayRule: ({ store, params, query }) => {
    const wallet = requireWallet(store, params.user_token, params.wallet_token);
    const rules = store.rulesOf(wallet.token);
    const index = rules.findIndex((r) => r.token === query.token);
    if (index < 0) throw notFound('The wallet has no autopay rule with this token');
    rules.splice(index, 1);
    return { success: true, token: query.token };
  },

  getCard: ({ store, params }) => {
    const wallet = requireWallet(store, params.user_token, params.wallet_token);
    const card = store.state.cards[wallet.token];
    if (wallet.type !== 'MASSPAY_CARD' || !card) throw notFound('The wallet has no card');
    return { ...card, balance: wallet.balance, status: wallet.active ? 'ACTIVE' : 'INACTIVE' };
  },

  getUser: ({ store, params }) => requireUser(store, params.user_token),

  lookupUser: ({ store, query }) => {
    const same = (a: string, b: string | undefined) => b === undefined || a.trim().toLowerCase() === b.trim().toLowerCase();
    const user = store
      .users()
      .find(
        (u) =>
          (query.internal_user_id === undefined || u.internal_user_id === query.internal_user_id) &&
          same(u.email, query.email) &&
          same(u.first_name, query.first_name),
      );
    if (!user) throw notFound('No user matches');
    const { user_token, first_name, last_name, internal_user_id, status } = user;
    return { user_token, first_name, last_name, internal_user_id, status };
  },

  getUserHistory: ({ store, params, query }) => {
    requireUser(store, params.user_token);
    if (query.wallet_token !== undefined && !store.wallet(params.user_token, query.wallet_token)) {
      throw notFound('The user has no wallet with this token');
    }
    return pageOfHistory(store.historyOf(params.user_token), query);
  },

  getAllUsersHistory: ({ store, query }) => pageOfHistory(Object.values(store.state.history).flat(), query),

  getService: ({ params, query }) => {
    const destination = findDestination(params.destination_token);
    if (!destination) throw notFound('No payout service has this destination token');
    return toService(destination, query.include_payer_logos ?? false);
  },

  listCountries: () => COUNTRIES,

  listCountryServices: ({ store, params, query }) => {
    if (!COUNTRIES.some((c) => c.three_letter_code === params.country_code)) throw notFound('No such country');
    let walletCurrency: string | undefined;
    if (query.wallet_token !== undefined) {
      const wallet = store.state.wallets.find((w) => w.token === query.wallet_token && (query.user_token === undefined || w.user_token === query.user_token));
      if (!wallet) throw notFound('No wallet has this token');
      walletCurrency = wallet.currency_code;
    }
    const name = query.payer_name?.toLowerCase();
    const amount = query.amount;
    // MassPay's `limit` caps amount + fee: the amount sent is lowered to fit under it.
    const sendable = (fee: number) => (amount === undefined || query.limit === undefined ? amount : Math.max(0, Math.min(amount, query.limit - fee)));
    const matching = DESTINATIONS.filter(
      (d) =>
        d.country_code === params.country_code &&
        (query.destination_currency === undefined || d.currency === query.destination_currency) &&
        (walletCurrency === undefined || d.currency === walletCurrency) &&
        (name === undefined || d.payer_name.toLowerCase().includes(name)) &&
        within(d, sendable(d.fee)),
    );
    const companies = toCompanies(matching, query.include_payer_logos ?? false);
    if (amount !== undefined) {
      for (const payer of companies.flatMap((c) => c.services.flatMap((s) => s.payers))) payer.source_amount = sendable(payer.fee);
    }
    return { companies };
  },

  loadUser: ({ store, params, body, now }) => (requireUser(store, params.user_token), applyLoad(store, params.user_token, body, now)),
};
