// The real backend of the app's component tests: the console (server + proxy) started by
// test/app-global-setup.ts in front of the real sandbox. Nothing here answers for MassPay; it only
// points the SPA's relative `/api/...` requests at the running console, records what the SPA sent,
// and drives the sandbox's own test controls (`/__sandbox/...`).
import { inject } from 'vitest';
import { autopayRuleListSchema, foundUserSchema, serviceSchema, walletListSchema, type AutopayRule, type Wallet } from '../../api';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The console (server + proxy), e.g. `http://127.0.0.1:41234`. */
    consoleUrl: string;
    /** The sandbox itself, for its `/__sandbox` controls. */
    sandboxUrl: string;
    sandboxKey: string;
  }
}

export interface SentRequest {
  method: string;
  /** As the SPA wrote it, e.g. `/api/payout/wallet/usr_…`. */
  path: string;
  headers: Headers;
  body: string | undefined;
}

/** Every request the code under test sent through `fetch` since the last `resetSent()`. */
export const sent: SentRequest[] = [];
export const resetSent = () => void (sent.length = 0);
export const sentWith = (method: string) => sent.filter((r) => r.method === method);

const nodeFetch = globalThis.fetch;

/**
 * jsdom has no server behind `location`: relative URLs (`/api/...`) go to the running console.
 * Everything else about the request is the SPA's own.
 */
export const installFetch = () => {
  const consoleUrl = inject('consoleUrl');
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    if (typeof input === 'string' && input.startsWith('/')) {
      sent.push({
        method: (init?.method ?? 'GET').toUpperCase(),
        path: input,
        headers: new Headers(init?.headers),
        body: typeof init?.body === 'string' ? init.body : undefined,
      });
      return nodeFetch(consoleUrl + input, init);
    }
    return nodeFetch(input, init);
  };
};

/** A GET through the real console, as the test's own reader (not recorded in `sent`). */
export const readApi = async (path: string): Promise<unknown> => {
  const response = await nodeFetch(`${inject('consoleUrl')}/api${path}`, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET /api${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
};

const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
  const response = await nodeFetch(`${inject('sandboxUrl')}/__sandbox${path}`, {
    method,
    headers: { authorization: `Bearer ${inject('sandboxKey')}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} /__sandbox${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
};

export interface FaultSettings {
  latencyMs?: number;
  failureRate?: number;
  failureStatus?: number;
  failNext?: { count: number; status?: number; drop?: boolean; phase?: 'before' | 'after'; methods?: ('GET' | 'POST' | 'DELETE' | 'PUT')[] };
}

/** The sandbox's test controls: back to the seed, faults, and its request counter. */
export const sandbox = {
  reset: () => admin('POST', '/reset'),
  setFaults: (settings: FaultSettings) => admin('PUT', '/faults', settings),
  clearFaults: () => admin('DELETE', '/faults'),
  resetStats: () => admin('DELETE', '/stats'),
  /** How many requests reached the sandbox per route id (`createAutopayRule`, `deleteAutopayRule`…). */
  stats: async () => (await admin('GET', '/stats')) as { requests: number; byRoute: Record<string, number> },
};

/** Puts the sandbox back to its seed with no faults and a zeroed counter, and forgets what was sent. */
export const freshSandbox = async () => {
  await sandbox.clearFaults();
  await sandbox.reset();
  await sandbox.resetStats();
  resetSent();
};

export const DESTINATIONS = {
  /** QuickCash Wallet, USD, unused by Ada. */
  quickCash: 'dest_3c8b5e2a-af4d-4e7b-9a93-4b6dac2f8e33',
  /** Banco Ejemplo, MXN. */
  bancoEjemplo: 'dest_4d9c6f3b-b05e-4f8c-8ba4-5c7ebd3a9f44',
  /** Evergreen Bank, USD: Ada's USD wallet sends it 60 %. */
  evergreen: 'dest_1a6f3c0e-8d2b-4c59-9e71-2f4b8a0d6c11',
  /** Well-formed, but no destination has it. */
  unknown: 'dest_00000000-0000-4000-8000-000000000000',
} as const;

export const rulesOf = async (userToken: string, walletToken: string): Promise<AutopayRule[]> =>
  autopayRuleListSchema.parse(await readApi(`/payout/wallet/${userToken}/${walletToken}/autopayout`));

export interface AdaUsd {
  userToken: string;
  wallet: Wallet;
  rules: AutopayRule[];
}

/** Ada (internal id ext-1001), her active USD wallet and its rules, as the server has them now. */
export const loadAdaUsd = async (): Promise<AdaUsd> => {
  const user = foundUserSchema.parse(await readApi('/payout/user/lookup?internal_user_id=ext-1001'));
  const wallets = walletListSchema.parse(await readApi(`/payout/wallet/${user.user_token}`));
  const wallet = wallets.find((w) => w.type === 'USER_FUNDS' && w.currency_code === 'USD' && w.active);
  if (!wallet) throw new Error('Ada has no active USD wallet in the seed');
  return { userToken: user.user_token, wallet, rules: await rulesOf(user.user_token, wallet.token) };
};

/** The payer's name MassPay's catalog gives a destination token. */
export const payerName = async (destinationToken: string): Promise<string> => {
  const service = serviceSchema.parse(await readApi(`/payout/service/${destinationToken}`));
  const payer = service.payers.find((p) => p.destination_token === destinationToken);
  if (!payer) throw new Error(`No payer for ${destinationToken}`);
  return payer.payer_name;
};
