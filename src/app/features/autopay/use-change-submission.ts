import { useRef, useState } from 'react';
import { describeError, isApiError, isOutcomeOpen, isSettledRefusal } from '../../lib/api-error';
import { newIdempotencyKey } from '../../lib/idempotency-key';

interface Submission {
  fingerprint: string;
  key: string;
}

/**
 * A change dialog's submission: saving the same values again reuses the Idempotency-Key (a retry is
 * never a second change), a refusal that settles it frees the key, and a failure goes under the
 * field it names or else into `formError` — where "may have been made" is never said as `notDone`.
 */
export const useChangeSubmission = <Field extends string>({
  fields,
  setError,
  notDone,
  initial,
}: {
  fields: readonly Field[];
  setError: (field: Field, error: { type: string; message: string }) => void;
  /** What a settled failure says first, e.g. "The rule was not added." */
  notDone: string;
  /** A submission to continue (a draft kept across a sign-in). */
  initial?: Submission;
}) => {
  const [formError, setFormError] = useState<string>();
  const last = useRef<Submission | undefined>(initial);
  return {
    formError,
    /** The Idempotency-Key of the values whose fingerprint this is: the last one when they are the same. */
    keyFor: (fingerprint: string) => {
      setFormError(undefined);
      if (last.current?.fingerprint !== fingerprint) last.current = { fingerprint, key: newIdempotencyKey() };
      return last.current.key;
    },
    failed: (error: unknown) => {
      // Refused for good: nothing was done, and the same key would only replay the refusal.
      if (isSettledRefusal(error)) last.current = undefined;
      const messages = isApiError(error) ? error.fieldErrors : {};
      let placed = false;
      for (const field of fields) {
        const message = messages[field]?.[0];
        if (message) {
          setError(field, { type: 'server', message });
          placed = true;
        }
      }
      // After a timeout, a broken connection or while the first attempt still runs, the change may be made.
      if (!placed) setFormError(isOutcomeOpen(error) ? describeError(error) : `${notDone} ${describeError(error)}`);
    },
  };
};
