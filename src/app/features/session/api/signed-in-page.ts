import { SIGNED_IN_SCRIPT_ID, signedInPageSchema, type SignedInPage } from '../../../../api';

/**
 * What the server wrote into index.html for the signed-in staff member (src/server/spa.ts) — what
 * `GET /auth/me` and `GET /api/console/settings` would answer — checked with their schemas; undefined
 * when the page has none (signed out, or served by Vite in development). Read once: the element goes,
 * so a later read cannot revive an ended session.
 */
export const takeSignedInPage = (doc: Document = document): SignedInPage | undefined => {
  const element = doc.getElementById(SIGNED_IN_SCRIPT_ID);
  if (!element) return undefined;
  element.remove();
  try {
    const parsed = signedInPageSchema.safeParse(JSON.parse(element.textContent ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};
