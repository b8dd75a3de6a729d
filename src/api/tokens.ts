import { z } from 'zod/mini';

/**
 * Token shapes. MassPay's examples disagree (masspay-api.md, open question 9): users appear as
 * `usr_<uuid>` and bare UUIDs, wallets as bare UUIDs and `usr_wlt_<uuid>`, rules with the 1.0.0
 * `autopayout_` or the 0.1.4 `autopay_` prefix. We accept exactly those shapes and nothing else, so a
 * token can never smuggle `/`, `..`, `%`, NUL or a query into a path.
 *
 * The contract uses `zod/mini` throughout: the SPA ships it, and mini tree-shakes to a fraction of
 * classic zod's size.
 */
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

const prefixed = (prefixes: string) => new RegExp(`^(?:${prefixes})?${UUID}$`);

export const TOKEN_PATTERNS = {
  user: prefixed('usr_'),
  wallet: prefixed('usr_wlt_'),
  destination: prefixed('dest_'),
  rule: prefixed('autopayout_|autopay_'),
  attrSet: prefixed('attr_set_'),
  load: prefixed('ld_'),
  /** History rows (#10): MassPay fixes no shape; loads are `ld_<uuid>`, the sandbox's payouts `pyt_<uuid>`. */
  transaction: prefixed('[a-z][a-z_]{0,15}_'),
} as const;

const token = (kind: keyof typeof TOKEN_PATTERNS, label: string) =>
  z.string().check(z.maxLength(64, `${label} is too long`), z.regex(TOKEN_PATTERNS[kind], `${label} is not a valid token`));

export const userTokenSchema = token('user', 'User token');
export const walletTokenSchema = token('wallet', 'Wallet token');
export const destinationTokenSchema = token('destination', 'Destination token');
export const ruleTokenSchema = token('rule', 'Rule token');
export const attrSetTokenSchema = token('attrSet', 'Attribute set token');
export const transactionTokenSchema = token('transaction', 'Transaction token');

/** ISO 3166 alpha-3, the form MassPay's catalog paths take. */
export const countryCode3Schema = z.string().check(z.regex(/^[A-Z]{3}$/, 'Country code must be three capital letters'));

/** ISO 4217 (plus MassPay's special `PNTS`). */
export const currencyCodeSchema = z.string().check(z.regex(/^[A-Z]{3,4}$/, 'Currency code must be ISO 4217'));

/** Client-defined: at most 75 letters, digits and `+ , - . / _ ~ |` (masspay-api.md). */
export const internalUserIdSchema = z
  .string()
  .check(
    z.minLength(1, 'Internal user ID is required'),
    z.maxLength(75, 'Internal user ID is at most 75 characters'),
    z.regex(/^[A-Za-z0-9+,\-./_~|]+$/, 'Internal user ID may hold letters, digits and + , - . / _ ~ | only'),
  );

/** Idempotency keys: MassPay suggests UUID v4; we accept any short printable ASCII key. */
export const idempotencyKeySchema = z
  .string()
  .check(z.minLength(1), z.maxLength(255), z.regex(/^[\x21-\x7e]+$/, 'Idempotency-Key must be printable ASCII without spaces'));
