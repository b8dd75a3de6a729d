import { z } from 'zod/mini';
import { userTokenSchema } from '../../../api';

/** Where the console keeps the users opened last, in this browser only (tokens and names, nothing else). */
export const RECENT_USERS_KEY = 'masspay-console:recent-users';
export const MAX_RECENT_USERS = 10;

const recentUserSchema = z.object({
  token: userTokenSchema,
  name: z.string().check(z.maxLength(300)),
});
export type RecentUser = z.infer<typeof recentUserSchema>;

export const NO_RECENT_USERS: readonly RecentUser[] = Object.freeze([]);

/**
 * What is stored, read defensively: another version of the console, an extension or a person with
 * devtools may have written anything. Entries that do not parse are dropped, not the whole list;
 * newest first, each user once, at most ten.
 */
export const parseRecentUsers = (raw: string | null): readonly RecentUser[] => {
  if (!raw) return NO_RECENT_USERS;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return NO_RECENT_USERS;
  }
  if (!Array.isArray(json)) return NO_RECENT_USERS;
  const users: RecentUser[] = [];
  const seen = new Set<string>();
  for (const entry of json as unknown[]) {
    const parsed = recentUserSchema.safeParse(entry);
    if (!parsed.success || seen.has(parsed.data.token)) continue;
    seen.add(parsed.data.token);
    users.push({ token: parsed.data.token, name: parsed.data.name });
    if (users.length === MAX_RECENT_USERS) break;
  }
  return users;
};

// Storage may be missing or refuse access (privacy modes, a full quota): the list is a convenience,
// so any failure reads as "nothing remembered" and never breaks a page.
export const readRecentUsersRaw = (): string | null => {
  try {
    return window.localStorage.getItem(RECENT_USERS_KEY);
  } catch {
    return null;
  }
};

/** Called after every change made in this tab (the hook below listens; other tabs get a `storage` event). */
export const recentUsersListeners = new Set<() => void>();

const write = (users: readonly RecentUser[]) => {
  try {
    if (users.length > 0) window.localStorage.setItem(RECENT_USERS_KEY, JSON.stringify(users));
    else window.localStorage.removeItem(RECENT_USERS_KEY);
  } catch {
    // Not kept: see readRecentUsersRaw.
  }
  recentUsersListeners.forEach((listener) => listener());
};

export const readRecentUsers = (): readonly RecentUser[] => parseRecentUsers(readRecentUsersRaw());

/** Puts `user` first (once), keeping the ten newest. */
export const rememberUser = (user: RecentUser) => {
  const parsed = recentUserSchema.safeParse(user);
  if (!parsed.success) return;
  write([parsed.data, ...readRecentUsers().filter((u) => u.token !== user.token)].slice(0, MAX_RECENT_USERS));
};

export const clearRecentUsers = () => write(NO_RECENT_USERS);
