// What the change path asks MassPay, through the proxy's one upstream client. Reads are fresh where
// the policy needs them to be (a wallet's rules: every change re-reads them under the wallet's lock);
// facts that never or rarely change (a wallet's currency and type, a destination's currency) are
// cached briefly so that a change costs one extra MassPay GET, not three.
import { LruMap } from 'toad-cache';
import { autopayRuleListSchema, serviceSchema, walletListSchema, type AutopayRule, type Wallet } from '../../api';
import type { Upstream, UpstreamResponse } from '../upstream';

/** MassPay answered a read with something other than what the change needs. */
export class MassPayReadError extends Error {
  constructor(readonly response: UpstreamResponse) {
    super(`MassPay answered ${response.status}`);
  }
}

export interface WalletFacts {
  currency: string;
  active: boolean;
}

const parseJson = (body: Buffer): unknown => {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
};

const encode = encodeURIComponent;
const rulesPath = (userToken: string, walletToken: string) => `/payout/wallet/${encode(userToken)}/${encode(walletToken)}/autopayout`;

export const createMassPayClient = ({
  upstream,
  apiKey,
  factsTtlMs = 30_000,
  catalogTtlMs = 600_000,
}: {
  upstream: Upstream;
  apiKey: string;
  factsTtlMs?: number;
  catalogTtlMs?: number;
}) => {
  const authorization = `Bearer ${apiKey}`;
  const headers = (requestId: string, extra: Record<string, string> = {}) => ({
    authorization,
    accept: 'application/json',
    'x-request-id': requestId,
    'user-agent': 'masspay-wallet-console',
    ...extra,
  });
  const walletFacts = new LruMap<WalletFacts | null>(10_000, factsTtlMs);
  const destinationCurrency = new LruMap<string | null>(10_000, catalogTtlMs);

  /** A read that must be a 200 with this shape; a 404 is `undefined`; anything else throws. */
  const read = async <T>(path: string, requestId: string, parse: (json: unknown) => T | undefined): Promise<T | undefined> => {
    const response = await upstream.send({ method: 'GET', path, headers: headers(requestId) });
    if (response.status === 404) return undefined;
    const value = response.status === 200 ? parse(parseJson(response.body)) : undefined;
    if (value === undefined) throw new MassPayReadError(response);
    return value;
  };

  return {
    /** The wallet's rules as MassPay has them now; `undefined` when MassPay knows no such user or wallet. */
    listRules: (userToken: string, walletToken: string, requestId: string): Promise<AutopayRule[] | undefined> =>
      read(rulesPath(userToken, walletToken), requestId, (json) => {
        const rules = autopayRuleListSchema.safeParse(json);
        return rules.success ? rules.data : undefined;
      }),

    /** A wallet's currency and whether it is active (from the wallet list, cached briefly); null: no such wallet. */
    walletFacts: async (userToken: string, walletToken: string, requestId: string): Promise<WalletFacts | null> => {
      const cached = walletFacts.get(`${userToken}/${walletToken}`);
      if (cached !== undefined) return cached;
      const wallets = await read(`/payout/wallet/${encode(userToken)}`, requestId, (json) => {
        const list = walletListSchema.safeParse(json);
        return list.success ? list.data : undefined;
      });
      let found: WalletFacts | null = null;
      for (const wallet of wallets ?? ([] as Wallet[])) {
        const facts = { currency: wallet.currency_code, active: wallet.active };
        walletFacts.set(`${userToken}/${wallet.token}`, facts);
        if (wallet.token === walletToken) found = facts;
      }
      if (!found) walletFacts.set(`${userToken}/${walletToken}`, null);
      return found;
    },

    /** The currency a destination pays out in (its payer's exchange rate), from the catalog; null: unknown destination. */
    destinationCurrency: async (destinationToken: string, requestId: string): Promise<string | null> => {
      const cached = destinationCurrency.get(destinationToken);
      if (cached !== undefined) return cached;
      const service = await read(`/payout/service/${encode(destinationToken)}`, requestId, (json) => {
        const parsed = serviceSchema.safeParse(json);
        return parsed.success ? parsed.data : undefined;
      });
      const payer = service?.payers.find((candidate) => candidate.destination_token === destinationToken);
      const currency = payer?.exchange_rate[0]?.currency_symbol ?? null;
      destinationCurrency.set(destinationToken, currency);
      return currency;
    },

    /** Forgets what was cached of a wallet (after MassPay refused a change the cache would have allowed). */
    forgetWallet: (userToken: string, walletToken: string) => walletFacts.delete(`${userToken}/${walletToken}`),

    createRule: (userToken: string, walletToken: string, body: string, idempotencyKey: string, requestId: string) =>
      upstream.send({
        method: 'POST',
        path: rulesPath(userToken, walletToken),
        headers: headers(requestId, { 'content-type': 'application/json', 'idempotency-key': idempotencyKey }),
        body,
      }),

    deleteRule: (userToken: string, walletToken: string, ruleToken: string, idempotencyKey: string, requestId: string) =>
      upstream.send({
        method: 'DELETE',
        path: `${rulesPath(userToken, walletToken)}?token=${encode(ruleToken)}`,
        headers: headers(requestId, { 'idempotency-key': idempotencyKey }),
      }),
  };
};
export type MassPayClient = ReturnType<typeof createMassPayClient>;
