import type { RuleFormValues } from './rule-form-schema';

/**
 * What was typed in "Add autopay rule" when saving met an expired session, kept in this tab's
 * `sessionStorage` per wallet so the dialog reopens with it after signing in again — with the same
 * Idempotency-Key, for it is the same submission. Nothing secret: tokens, a percentage, the reason
 * typed, the key, and whose draft it is (only they get it back).
 */
export interface AddRuleDraft {
  staff: string;
  /** What was typed; `reason` is absent in a draft kept before the Reason field existed. */
  values: RuleFormValues & { reason?: string };
  /** The submission the key belongs to (the rule as sent, as JSON; the reason is not part of it). */
  fingerprint: string;
  idempotencyKey: string;
}

const PREFIX = 'masspay-console:add-rule-draft:';
const keyOf = (userToken: string, walletToken: string) => `${PREFIX}${userToken}/${walletToken}`;

const isDraft = (value: unknown): value is AddRuleDraft => {
  if (typeof value !== 'object' || value === null) return false;
  const draft = value as Record<string, unknown>;
  const values = draft.values as Record<string, unknown> | null | undefined;
  return (
    typeof draft.staff === 'string' &&
    typeof draft.fingerprint === 'string' &&
    typeof draft.idempotencyKey === 'string' &&
    typeof values === 'object' &&
    values !== null &&
    ['destination_token', 'percentage', 'attr_set_token'].every((field) => typeof values[field] === 'string') &&
    (values.reason === undefined || typeof values.reason === 'string')
  );
};

// Storage may be unavailable (a privacy mode) or full: a draft is a convenience, never a failure.
const attempt = <T>(action: () => T): T | undefined => {
  try {
    return action();
  } catch {
    return undefined;
  }
};

export const saveAddRuleDraft = (userToken: string, walletToken: string, draft: AddRuleDraft) =>
  attempt(() => sessionStorage.setItem(keyOf(userToken, walletToken), JSON.stringify(draft)));

export const clearAddRuleDraft = (userToken: string, walletToken: string) => attempt(() => sessionStorage.removeItem(keyOf(userToken, walletToken)));

/** The draft of this wallet if `staff` left it; someone else's is dropped. */
export const readAddRuleDraft = (userToken: string, walletToken: string, staff: string): AddRuleDraft | undefined =>
  attempt(() => {
    const text = sessionStorage.getItem(keyOf(userToken, walletToken));
    if (text === null) return undefined;
    const draft: unknown = JSON.parse(text);
    if (isDraft(draft) && draft.staff === staff) return draft;
    sessionStorage.removeItem(keyOf(userToken, walletToken));
    return undefined;
  });

export const clearAllAddRuleDrafts = () =>
  attempt(() => {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith(PREFIX)) sessionStorage.removeItem(key);
  });
