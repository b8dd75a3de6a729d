// The real backend of the app's component tests: the console (server + proxy) started by
// test/app-global-setup.ts in front of the real sandbox. Nothing here answers for MassPay; it only
// points the SPA's relative `/api/...` requests at the running console, records what the SPA sent,
// and drives the sandbox's own test controls (`/__sandbox/...`). A test may switch to the second
// console the setup started, whose audit log was changed behind its back (`useTamperedConsole`).
import { closeSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject, onTestFinished } from 'vitest';
import {
  autopayRuleListSchema,
  CONSOLE_ROUTES,
  browserFoundUserSchema,
  browserServiceSchema,
  staffMemberSchema,
  browserWalletListSchema,
  type AutopayRule,
  type StaffMember,
  type StaffRole,
  type BrowserWallet,
} from '../../src/api';

/** The consoles of one lane: each file that runs at once has its own, so files run side by side. */
export interface AppLane {
  /** The console (server + proxy), e.g. `http://127.0.0.1:41234`. */
  consoleUrl: string;
  /** The sandbox itself, for its `/__sandbox` controls. */
  sandboxUrl: string;
  sandboxKey: string;
  /** A second console (own sandbox, own embedded audit log) whose audit log has one entry changed behind its back. */
  tamperedConsoleUrl: string;
  /** The id of that changed entry: where its hash chain breaks. */
  tamperedEntryId: string;
  /** A third console (own sandbox and audit log) with APPROVAL_POLICY=over:0, and its sandbox. */
  approvalConsoleUrl: string;
  approvalSandboxUrl: string;
  approvalSandboxKey: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** One lane per file that may run at once (test/app-global-setup.ts). */
    appLanes: AppLane[];
    /** Where a file claims its lane: one lock file per lane in use. */
    appLaneLocks: string;
    /** The password of the demo staff accounts `viewer@`, `editor@` and `admin@example.com`. */
    staffPassword: string;
  }
}

let claimed: { lane: AppLane; release: () => void } | undefined;

/**
 * Claims a lane no other file holds (a lock file made with O_EXCL), for this file's run: files reset
 * their sandbox between tests, so two at once never share one. Not by VITEST_POOL_ID: two files at
 * once can get the same one when the projects run in groups (`sequence.groupOrder`).
 */
export const claimLane = async () => {
  const lanes = inject('appLanes');
  for (let waited = 0; waited < 30_000; waited += 50) {
    for (const [index, found] of lanes.entries()) {
      const lock = join(inject('appLaneLocks'), `lane-${index + 1}`);
      try {
        closeSync(openSync(lock, 'wx'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      }
      // Once: a file's process may exit after the next file has claimed the lane it gave back.
      const release = () => {
        process.off('exit', release);
        rmSync(lock, { force: true });
      };
      process.on('exit', release);
      claimed = { lane: found, release };
      return;
    }
    await sleep(50);
  }
  throw new Error(`no free app test lane in 30 s (${lanes.length} lanes)`);
};

/** Gives the lane back when the file is done (test/app/setup.ts). */
export const releaseLane = () => {
  claimed?.release();
  claimed = undefined;
};

/** This file's lane (`claimLane`). */
export const lane = (): AppLane => {
  if (!claimed) throw new Error('no app test lane claimed: test/app/setup.ts claims one before the tests');
  return claimed.lane;
};

let tampered = false;
let approvals = false;
/** The console the SPA and these helpers talk to: the shared one, the tampered one (`useTamperedConsole`) or the one with approvals on. */
const consoleUrl = () => (tampered ? lane().tamperedConsoleUrl : approvals ? lane().approvalConsoleUrl : lane().consoleUrl);
/** The sandbox behind the console with approvals on, or the shared one. */
const sandboxTarget = () =>
  approvals ? { url: lane().approvalSandboxUrl, key: lane().approvalSandboxKey } : { url: lane().sandboxUrl, key: lane().sandboxKey };

/**
 * Until the end of the current test, the SPA and these helpers (the sandbox's controls included) talk to
 * the console whose APPROVAL_POLICY is over:0: every rule change answers 202 with a change request.
 */
export const useApprovalConsole = () => {
  approvals = true;
  cookieJar.clear();
  onTestFinished(() => {
    approvals = false;
    cookieJar.clear();
  });
};

/**
 * Until the end of the current test, the SPA and these helpers talk to the console whose audit log
 * was tampered with (its sessions are its own: the jar starts empty). Returns the changed entry's id.
 */
export const useTamperedConsole = (): string => {
  tampered = true;
  cookieJar.clear();
  onTestFinished(() => {
    tampered = false;
    cookieJar.clear();
  });
  return lane().tamperedEntryId;
};

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
 * The browser's cookie jar for the console's origin, as small as the tests need: `Set-Cookie` of
 * answers to relative requests is kept (an empty value, `Max-Age=0` or a past `Expires` removes the
 * cookie), and the cookies go with every later relative request. The session cookie is HttpOnly:
 * the SPA never sees it, only this jar does, as a browser would.
 */
export const cookieJar = {
  cookies: new Map<string, string>(),
  /** The `Cookie` header to send, or undefined when the jar is empty. */
  header(): string | undefined {
    return this.cookies.size === 0 ? undefined : [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  },
  store(headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const equals = pair.indexOf('=');
      if (equals <= 0) continue;
      const name = pair.slice(0, equals);
      const value = pair.slice(equals + 1);
      const attribute = (wanted: string) => attributes.find((a) => a.toLowerCase().startsWith(`${wanted}=`))?.slice(wanted.length + 1);
      const maxAge = attribute('max-age');
      const expires = attribute('expires');
      const gone = value === '' || (maxAge !== undefined && Number(maxAge) <= 0) || (expires !== undefined && Date.parse(expires) <= Date.now());
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  },
  /** Puts `cookie` (`name=value; …`) in the jar instead of what it held. */
  replace(cookie: string | undefined) {
    this.cookies.clear();
    for (const pair of cookie?.split(';') ?? []) {
      const equals = pair.indexOf('=');
      if (equals > 0) this.cookies.set(pair.slice(0, equals).trim(), pair.slice(equals + 1).trim());
    }
  },
  /** Forgets every cookie: the session is gone, as when it expires on the server. */
  clear() {
    this.cookies.clear();
  },
};

/**
 * jsdom has no server behind `location`: relative URLs (`/api/...`, `/auth/...`) go to the running
 * console, with the jar's cookies. Everything else about the request is the SPA's own.
 */
export const installFetch = () => {
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    if (typeof input === 'string' && input.startsWith('/')) {
      const headers = new Headers(init?.headers);
      sent.push({
        method: (init?.method ?? 'GET').toUpperCase(),
        path: input,
        headers: new Headers(headers),
        body: typeof init?.body === 'string' ? init.body : undefined,
      });
      const cookie = cookieJar.header();
      if (cookie) headers.set('cookie', cookie);
      const response = await nodeFetch(consoleUrl() + input, { ...init, headers });
      cookieJar.store(response.headers);
      return response;
    }
    return nodeFetch(input, init);
  };
};

export const STAFF_EMAILS: Record<StaffRole, string> = {
  viewer: 'viewer@example.com',
  editor: 'editor@example.com',
  admin: 'admin@example.com',
};

/** `POST /auth/login` as a demo account, outside the SPA: the session cookie it sets, and who it is. */
const login = async (role: StaffRole): Promise<{ cookie: string; staff: StaffMember }> => {
  const password = inject('staffPassword');
  if (typeof password !== 'string') throw new Error("The app tests' global setup (test/app-global-setup.ts) provides no `staffPassword` to sign in with");
  const response = await nodeFetch(`${consoleUrl()}${CONSOLE_ROUTES.login}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-requested-with': 'XMLHttpRequest' },
    body: JSON.stringify({ email: STAFF_EMAILS[role], password }),
  });
  if (!response.ok) throw new Error(`POST ${CONSOLE_ROUTES.login} as ${role} answered ${response.status}: ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!.trim())
    .filter((pair) => !pair.endsWith('='))
    .join('; ');
  return { cookie, staff: staffMemberSchema.parse(await response.json()) };
};

// One sign-in per account, console and test file: its cookie is put back in the jar while it still works.
const sessions = new Map<string, { cookie: string; staff: StaffMember }>();
const sessionKey = (role: StaffRole) => `${role} ${consoleUrl()}`;

const isValid = async (cookie: string, role: StaffRole) => {
  const response = await nodeFetch(`${consoleUrl()}${CONSOLE_ROUTES.me}`, { headers: { accept: 'application/json', cookie } });
  if (!response.ok) return false;
  const staff = staffMemberSchema.safeParse(await response.json());
  return staff.success && staff.data.role === role;
};

const session = async (role: StaffRole, { check = true } = {}) => {
  const known = sessions.get(sessionKey(role));
  if (known && (!check || (await isValid(known.cookie, role)))) return known;
  const fresh = await login(role);
  sessions.set(sessionKey(role), fresh);
  return fresh;
};
const sessionCookie = async (role: StaffRole, options?: { check?: boolean }) => (await session(role, options)).cookie;

/**
 * The browser is signed in as the demo account of `role` (a real `/auth/login`, once per test file):
 * its session cookie is in the jar. Returns who that is.
 */
export const signInAs = async (role: StaffRole): Promise<StaffMember> => {
  const { cookie, staff } = await session(role);
  cookieJar.replace(cookie);
  return staff;
};

/** Signed out on the server too (`POST /auth/logout` with the jar's cookie), and the jar emptied. */
export const signOut = async () => {
  const cookie = cookieJar.header();
  if (cookie) {
    const response = await nodeFetch(`${consoleUrl()}${CONSOLE_ROUTES.logout}`, {
      method: 'POST',
      headers: { cookie, 'x-requested-with': 'XMLHttpRequest' },
    });
    for (const [key, known] of sessions) if (known.cookie === cookie) sessions.delete(key);
    if (!response.ok && response.status !== 401) throw new Error(`POST ${CONSOLE_ROUTES.logout} answered ${response.status}`);
  }
  cookieJar.clear();
};

let noSignIn = false;
/**
 * Every test starts signed in as an editor. A console without sign-in (`/auth/login` answers 404:
 * the server before sessions) needs none, and the tests run without.
 */
export const startSignedIn = async () => {
  if (noSignIn) return;
  try {
    await signInAs('editor');
  } catch (error) {
    if (error instanceof Error && / answered 404:/.test(error.message)) {
      noSignIn = true;
      cookieJar.clear();
      return;
    }
    throw error;
  }
};

/** A GET through the real console, as the test's own reader (an editor's own session, or `as`; not recorded in `sent`). */
export const readApi = async (path: string, { as = 'editor' }: { as?: StaffRole } = {}): Promise<unknown> => {
  const get = async () => {
    const cookie = noSignIn ? undefined : await sessionCookie(as, { check: false });
    return nodeFetch(`${consoleUrl()}/api${path}`, { headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) } });
  };
  let response = await get();
  if (response.status === 401 && !noSignIn) {
    sessions.delete(sessionKey(as));
    response = await get();
  }
  if (!response.ok) throw new Error(`GET /api${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
};

/**
 * A change through the real console as the test's own actor (an editor, or `as`); not recorded in
 * `sent`. `path` is under `/api` (`/payout/...`, `/console/...`); `headers` go along (a reason, a
 * chosen Idempotency-Key).
 */
export const callApi = async (
  method: 'POST' | 'PATCH' | 'DELETE',
  path: string,
  { body, as = 'editor', headers = {} }: { body?: unknown; as?: StaffRole; headers?: Record<string, string> } = {},
) => {
  const cookie = await sessionCookie(as);
  const response = await nodeFetch(`${consoleUrl()}/api${path}`, {
    method,
    headers: {
      accept: 'application/json',
      'x-requested-with': 'XMLHttpRequest',
      'idempotency-key': crypto.randomUUID(),
      cookie,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json().catch(() => undefined)) as unknown };
};

/**
 * MassPay itself — the sandbox behind the console in use — asked directly with its key, past the
 * console: what MassPay holds and answers, or a load the console never makes.
 */
export const massPay = (path: string, { method = 'GET', body }: { method?: string; body?: unknown } = {}): Promise<Response> => {
  const target = sandboxTarget();
  return nodeFetch(`${target.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${target.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
};

const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
  const response = await massPay(`/__sandbox${path}`, { method, body });
  if (!response.ok) throw new Error(`${method} /__sandbox${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
};

export interface FaultSettings {
  latencyMs?: number;
  /** Only these methods are slowed (all when absent): a slow write behind fast reads. */
  latencyMethods?: ('GET' | 'POST' | 'DELETE' | 'PUT')[];
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
  wallet: BrowserWallet;
  rules: AutopayRule[];
}

/** Ada (internal id ext-1001), her active USD wallet and its rules, as the server has them now. */
export const loadAdaUsd = async (): Promise<AdaUsd> => {
  const user = browserFoundUserSchema.parse(await readApi('/payout/user/lookup?internal_user_id=ext-1001'));
  const wallets = browserWalletListSchema.parse(await readApi(`/payout/wallet/${user.user_token}`));
  const wallet = wallets.find((w) => w.type === 'USER_FUNDS' && w.currency_code === 'USD' && w.active);
  if (!wallet) throw new Error('Ada has no active USD wallet in the seed');
  return { userToken: user.user_token, wallet, rules: await rulesOf(user.user_token, wallet.token) };
};

/** The payer's name MassPay's catalog gives a destination token. */
export const payerName = async (destinationToken: string): Promise<string> => {
  const service = browserServiceSchema.parse(await readApi(`/payout/service/${destinationToken}`));
  const payer = service.payers.find((p) => p.destination_token === destinationToken);
  if (!payer) throw new Error(`No payer for ${destinationToken}`);
  return payer.payer_name;
};
