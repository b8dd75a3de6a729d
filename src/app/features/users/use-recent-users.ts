import { useSyncExternalStore } from 'react';
import { NO_RECENT_USERS, parseRecentUsers, readRecentUsersRaw, RECENT_USERS_KEY, recentUsersListeners, type RecentUser } from './recent-users';

// useSyncExternalStore wants the same snapshot while nothing changed: keep the last parse per raw value.
let cache: { raw: string | null; users: readonly RecentUser[] } = { raw: null, users: NO_RECENT_USERS };
const snapshot = () => {
  const raw = readRecentUsersRaw();
  if (raw !== cache.raw) cache = { raw, users: parseRecentUsers(raw) };
  return cache.users;
};

const subscribe = (listener: () => void) => {
  recentUsersListeners.add(listener);
  // Another tab of the console opened or cleared users.
  const onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key === RECENT_USERS_KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    recentUsersListeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
};

/** The users opened last in this browser, newest first; follows changes from this and other tabs. */
export const useRecentUsers = (): readonly RecentUser[] => useSyncExternalStore(subscribe, snapshot, () => NO_RECENT_USERS);
