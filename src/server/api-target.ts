/** The prefix of every route the console serves to the SPA; MassPay paths follow it. */
export const API_PREFIX = '/api';

/**
 * A raw `/api/...` request target split into the MassPay path (still encoded) and the raw query, or
 * undefined when the target does not start with the plain prefix (the router decodes `/%61pi/…` to
 * this route too; such a target is never forwarded).
 */
export const splitApiTarget = (raw: string): { path: string; rawQuery: string } | undefined => {
  if (!raw.startsWith(`${API_PREFIX}/`)) return undefined;
  const target = raw.slice(API_PREFIX.length);
  const queryAt = target.indexOf('?');
  return queryAt < 0 ? { path: target, rawQuery: '' } : { path: target.slice(0, queryAt), rawQuery: target.slice(queryAt + 1) };
};
