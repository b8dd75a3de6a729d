import type { AuditAction, AuditEntry, AuditOutcome } from '../../../api';

const ACTIONS: Record<AuditAction, string> = {
  add_rule: 'Add rule',
  delete_rule: 'Delete rule',
  edit_rule: 'Changed percentage',
  read_card: 'Read card',
  verify_caller: 'Verify caller',
  reveal_pickup_code: 'Reveal pickup code',
};
export const auditActionLabel = (action: AuditAction): string => ACTIONS[action] ?? action;

const OUTCOMES: Record<AuditOutcome, { label: string; tone: 'success' | 'warning' | 'neutral' }> = {
  requested: { label: 'Requested', tone: 'neutral' },
  succeeded: { label: 'Succeeded', tone: 'success' },
  refused: { label: 'Refused', tone: 'warning' },
  failed: { label: 'Failed', tone: 'warning' },
  unknown: { label: 'Unknown', tone: 'warning' },
  forbidden: { label: 'Forbidden', tone: 'warning' },
  // The first answer repeated for the same Idempotency-Key: MassPay was not asked again.
  replayed: { label: 'Replayed', tone: 'neutral' },
  // Refused by the console's own policy on fresh data: MassPay was not asked.
  blocked: { label: 'Blocked', tone: 'warning' },
  // A percentage change whose new rule could not be made: the old rule was put back.
  compensated: { label: 'Compensated', tone: 'warning' },
  // Four-eyes approval: the change waits for a second person, who approves or rejects it; its requester may withdraw it.
  awaiting_approval: { label: 'Sent for approval', tone: 'neutral' },
  approved: { label: 'Approved', tone: 'success' },
  rejected: { label: 'Rejected', tone: 'warning' },
  withdrawn: { label: 'Withdrawn', tone: 'neutral' },
  expired: { label: 'Expired', tone: 'warning' },
};
export const auditOutcome = (outcome: AuditOutcome) => OUTCOMES[outcome] ?? { label: outcome, tone: 'neutral' as const };

/** An entry's outcome as staff read it: a caller check says whether the date matched (MassPay answered 200). */
export const auditEntryOutcome = (entry: Pick<AuditEntry, 'action' | 'outcome' | 'masspayStatus'>) => {
  if (entry.action === 'verify_caller' && entry.masspayStatus === 200) {
    if (entry.outcome === 'succeeded') return { label: 'Matched', tone: 'success' as const };
    if (entry.outcome === 'refused') return { label: 'Did not match', tone: 'warning' as const };
  }
  return auditOutcome(entry.outcome);
};

/** What the Rule column holds for an entry: a rule's token, or for a pickup-code reveal the transaction's. */
export const subjectTokenLabel = (action: AuditAction) => (action === 'reveal_pickup_code' ? 'Transaction' : 'Rule');

const timeFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'medium' });
/** The entry's UTC time in the reader's own time zone, to the second; the raw value when it is not a date. */
export const formatAuditTime = (iso: string): string => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : timeFormat.format(date);
};

/** "Showing 1–25 of 73". */
export const showingText = (page: number, limit: number, rows: number, total: number): string => {
  if (rows === 0) return `Showing 0 of ${total}`;
  const first = (page - 1) * limit + 1;
  return `Showing ${first}–${first + rows - 1} of ${total}`;
};
