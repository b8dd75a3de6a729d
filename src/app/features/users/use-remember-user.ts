import { useEffect } from 'react';
import type { BrowserUser } from '../../../api';

/**
 * Adds the user a page shows to "Recently opened" once their data has loaded. The storage code
 * (and its schema) loads on demand, keeping it off the user page's first load.
 */
export const useRememberUser = (user: Pick<BrowserUser, 'user_token' | 'first_name' | 'last_name'> | undefined) => {
  const token = user?.user_token;
  const name = user && `${user.first_name} ${user.last_name}`;
  useEffect(() => {
    if (!token || name === undefined) return;
    import('./recent-users').then(
      ({ rememberUser }) => rememberUser({ token, name }),
      () => undefined,
    );
  }, [token, name]);
};
