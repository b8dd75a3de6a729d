/**
 * Every react-query key comes from here, so that what is cached, prefetched and invalidated
 * always agrees. Keys nest: a user's wallets and rules sit under the user.
 */
export const queryKeys = {
  user: (userToken: string) => ['users', userToken] as const,
  wallets: (userToken: string) => ['users', userToken, 'wallets'] as const,
  rules: (userToken: string, walletToken: string) => ['users', userToken, 'wallets', walletToken, 'rules'] as const,
  card: (userToken: string, walletToken: string) => ['users', userToken, 'wallets', walletToken, 'card'] as const,
  service: (destinationToken: string) => ['catalog', 'service', destinationToken] as const,
  countries: () => ['catalog', 'countries'] as const,
  countryServices: (countryCode: string, walletToken: string) => ['catalog', 'country', countryCode, walletToken] as const,
};
