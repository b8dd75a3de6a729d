import { z } from 'zod/mini';
import { CHANGE_REASON_HEADER, CHANGE_REASON_MAX, changeReasonSchema, encodeChangeReason, type ChangeReasonMode } from '../../../api';

export const REASON_REQUIRED_MESSAGE = 'Enter a reason: why, or a ticket reference';

/** The Reason field of the change dialogs: at most 200 characters (the contract's), required when the console says so. */
export const reasonFieldSchema = (mode: ChangeReasonMode) =>
  changeReasonSchema.check(
    ...(mode === 'required' ? [z.minLength(1, REASON_REQUIRED_MESSAGE)] : []),
    // A tab pasted in, say: the server refuses it (a log line or a CSV cell would lie about what was typed).
    // eslint-disable-next-line no-control-regex
    z.refine((reason) => !/[\u0000-\u001f\u007f]/.test(reason), 'A reason is one line of text, without control characters'),
  );

/** What the Reason field says under it when nothing is wrong. */
export const reasonHelperText = (mode: ChangeReasonMode, length: number): string => {
  const base = mode === 'required' ? 'Required: why, or a ticket reference' : 'Optional: why, or a ticket reference';
  // The count only once it matters, so that the usual text stays short.
  return length > CHANGE_REASON_MAX - 40 ? `${base} (${length}/${CHANGE_REASON_MAX})` : base;
};

/** The request headers carrying a reason (none for an empty one). */
export const reasonHeaders = (reason: string | undefined): Record<string, string | undefined> => ({ [CHANGE_REASON_HEADER]: encodeChangeReason(reason) });
