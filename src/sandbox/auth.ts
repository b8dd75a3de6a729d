import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * MassPay's key travels in `Authorization`: `Bearer <key>` (any case of the scheme) in the docs and
 * most SDKs, the bare key in the official JS SDK (masspay-api.md, open question 1). Both are accepted.
 */
export const createKeyCheck = (apiKey: string) => {
  const expected = digest(apiKey);
  return (authorization: string | undefined): boolean => {
    if (!authorization) return false;
    const presented = authorization.replace(/^bearer\s+/i, '').trim();
    return timingSafeEqual(digest(presented), expected);
  };
};
