import { SIGNED_IN_SCRIPT_ID, staffMemberSchema, type StaffMember } from '../../../../api';

/**
 * The staff member the server wrote into index.html (src/server/spa.ts) — what `GET /auth/me` would
 * answer — checked with the same schema; undefined when the page has none (signed out, or served by
 * Vite in development). Read once: the element goes, so a later read cannot revive an ended session.
 */
export const takeInlinedSession = (doc: Document = document): StaffMember | undefined => {
  const element = doc.getElementById(SIGNED_IN_SCRIPT_ID);
  if (!element) return undefined;
  element.remove();
  try {
    const parsed = staffMemberSchema.safeParse(JSON.parse(element.textContent ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};
