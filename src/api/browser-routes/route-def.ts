import { z } from 'zod/mini';
import { userTokenSchema, walletTokenSchema } from '../tokens';

/**
 * The browser's side of the MassPay routes the console's proxy forwards: what the SPA may send (path
 * parameters, query, body) and what of the answer reaches it. `ROUTES` (routes.ts) adds MassPay's side
 * of each route — its whole query and its whole answer — for the proxy and the sandbox. Kept apart so
 * that the SPA's bundle holds only this side (src/app/lib/api-client.ts calls these routes). One
 * module and one constant per route: a module lands in one chunk, so a page's chunk holds only
 * its own routes' schemas.
 */
export interface BrowserRouteDef {
  method: 'GET' | 'POST' | 'DELETE';
  /** MassPay v1.0.0 path template; `{name}` marks a parameter. */
  path: string;
  params: Record<string, z.ZodMiniType<string>>;
  /** The query the console's proxy accepts: what the SPA sends, a subset of MassPay's. Strict. */
  query: z.ZodMiniObject;
  body?: z.ZodMiniType;
  /**
   * What of the answer reaches the browser: the fields the console shows, unknown ones dropped, enums as
   * plain strings (a value MassPay adds later still passes). The proxy filters MassPay's answer with it
   * (an answer it cannot parse is a 502) and the SPA parses with it.
   */
  response: z.ZodMiniType;
}

/** `template` (`{name}` marks a parameter) with each parameter's value put in, encoded. */
export const fillPath = (template: string, values: Readonly<Record<string, string>>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));

export const noQuery = z.strictObject({});
export const userParams = { user_token: userTokenSchema };
export const walletParams = { user_token: userTokenSchema, wallet_token: walletTokenSchema };
