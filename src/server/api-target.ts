/** The prefix of every route the console serves to the SPA; MassPay paths follow it. */
export const API_PREFIX = '/api';

/**
 * A raw `/api/...` request target split into the MassPay path (still encoded) and the raw query, or
 * undefined when the target does not start with the plain prefix (the router decodes `/%61pi/…` to
 * an `/api` route too; such a target is never forwarded).
 */
export const splitApiTarget = (raw: string): { path: string; rawQuery: string } | undefined => {
  if (!raw.startsWith(`${API_PREFIX}/`)) return undefined;
  const target = raw.slice(API_PREFIX.length);
  const queryAt = target.indexOf('?');
  return queryAt < 0 ? { path: target, rawQuery: '' } : { path: target.slice(0, queryAt), rawQuery: target.slice(queryAt + 1) };
};

/** A route template of the shared contract (`/api/audit`) as registered inside the `/api` plugin (`/audit`). */
export const underApiPrefix = (template: string): string => {
  if (!template.startsWith(`${API_PREFIX}/`)) throw new Error(`${template} is not an ${API_PREFIX} route`);
  return template.slice(API_PREFIX.length);
};
