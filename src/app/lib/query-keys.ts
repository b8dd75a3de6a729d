/**
 * Every react-query key comes from here, so that what is cached, prefetched and invalidated
 * always agrees. Keys nest: a user's wallets and rules sit under the user.
 */
export const queryKeys = {
  /** Who is signed in (`GET /auth/me`): a `StaffMember`, or `null` when nobody is. Kept across sign-outs. */
  session: () => ['session'] as const,
  /** Signing in and out (mutation keys), under the session. */
  signIn: () => ['session', 'sign-in'] as const,
  signOut: () => ['session', 'sign-out'] as const,
  /** A caller's date of birth checked for a payee (a mutation key). */
  verifyCaller: (userToken: string) => ['verify-caller', userToken] as const,
  /** What the SPA must know of the server's policy (`GET /api/console/settings`): reason required, approvals. */
  consoleSettings: () => ['console-settings'] as const,
  /** One page of the audit log under its filters. */
  audit: (query: Readonly<Record<string, string | number>>) => ['audit', query] as const,
  user: (userToken: string) => ['users', userToken] as const,
  /** A lookup by email + first name or by internal user ID (`/` Find a user). */
  userLookup: (query: Readonly<Record<string, string>>) => ['user-lookup', query] as const,
  wallets: (userToken: string) => ['users', userToken, 'wallets'] as const,
  rules: (userToken: string, walletToken: string) => ['users', userToken, 'wallets', walletToken, 'rules'] as const,
  card: (userToken: string, walletToken: string) => ['users', userToken, 'wallets', walletToken, 'card'] as const,
  /** One page of a wallet's history (#10) under its filters: every page and filter is its own entry. */
  transactions: (userToken: string, walletToken: string, view: { type?: string; from?: string; to?: string; page: number; size: number }) =>
    ['users', userToken, 'wallets', walletToken, 'transactions', view] as const,
  /** One page of change requests (four-eyes approval) under its filters; a wallet's pending ones are a filter too. */
  changeRequests: (query: Readonly<Record<string, string | number>>) => ['change-requests', query] as const,
  /** One page of the changes the console made to a wallet (its audit entries), newest first. */
  walletHistory: (userToken: string, walletToken: string, page: number) => ['users', userToken, 'wallets', walletToken, 'history', page] as const,
  /** The rules the console knows were in force on a wallet at an instant (a payout's time). */
  rulesAt: (userToken: string, walletToken: string, at: string) => ['users', userToken, 'wallets', walletToken, 'rules-at', at] as const,
  /** One page of the bulk jobs, newest first. */
  bulkJobs: (page: number) => ['bulk', 'jobs', page] as const,
  /** One bulk job with its counts; its rows and wallets nest under it (read again as the job moves on). */
  bulkJob: (jobId: string) => ['bulk', 'job', jobId] as const,
  bulkRows: (jobId: string, query: Readonly<Record<string, string | number>>) => ['bulk', 'job', jobId, 'rows', query] as const,
  bulkWallets: (jobId: string, page: number) => ['bulk', 'job', jobId, 'wallets', page] as const,
  service: (destinationToken: string) => ['catalog', 'service', destinationToken] as const,
  countries: () => ['catalog', 'countries'] as const,
  countryServices: (countryCode: string, walletToken: string) => ['catalog', 'country', countryCode, walletToken] as const,
};

/** Whether `key` (a query's or a mutation's) is the session's own or under it: who is signed in, signing in and out. */
export const isSessionKey = (key: readonly unknown[] | undefined): boolean => key?.[0] === queryKeys.session()[0];
