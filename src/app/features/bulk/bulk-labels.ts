import type { BulkAction, BulkCounts, BulkJobStatus, BulkOutcome, BulkVerdict } from '../../../api';

type Tone = 'success' | 'warning' | 'neutral';

const STATUSES: Record<BulkJobStatus, { label: string; tone: Tone }> = {
  resolving: { label: 'Dry run in progress', tone: 'neutral' },
  ready: { label: 'Dry run done', tone: 'neutral' },
  awaiting_approval: { label: 'Waiting for approval', tone: 'neutral' },
  approved: { label: 'Approved', tone: 'success' },
  running: { label: 'Running', tone: 'neutral' },
  paused: { label: 'Paused', tone: 'warning' },
  completed: { label: 'Completed', tone: 'success' },
  cancelled: { label: 'Cancelled', tone: 'warning' },
  failed: { label: 'Failed', tone: 'warning' },
  rejected: { label: 'Rejected', tone: 'warning' },
};
export const jobStatus = (status: BulkJobStatus) => STATUSES[status] ?? { label: status, tone: 'neutral' as const };

/** The job will not move again. */
export const hasEnded = (status: BulkJobStatus) => status === 'completed' || status === 'cancelled' || status === 'failed' || status === 'rejected';

export const VERDICTS: Record<BulkVerdict, { label: string; tone: Tone }> = {
  change: { label: 'Will change', tone: 'success' },
  noop: { label: 'Already so', tone: 'neutral' },
  refused: { label: 'Refused', tone: 'warning' },
};

export const OUTCOMES: Record<BulkOutcome, { label: string; tone: Tone }> = {
  applied: { label: 'Applied', tone: 'success' },
  noop: { label: 'Already so', tone: 'neutral' },
  refused: { label: 'Refused', tone: 'warning' },
  failed: { label: 'Failed', tone: 'warning' },
  unknown: { label: 'Unknown', tone: 'warning' },
  skipped: { label: 'Skipped', tone: 'neutral' },
};

export const ACTIONS: Record<BulkAction, string> = { add: 'Add', set: 'Set', remove: 'Remove' };

const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
export const countOf = plural;

/** "Apply 12 changes to 5 wallets?" (the wallets when they are known). */
export const applyQuestion = (changes: number, wallets: number) => `Apply ${plural(changes, 'change')} to ${plural(wallets, 'wallet')}?`;

/** How the run ended so far: "10 applied · 1 already so · 0 refused · 0 failed" (unknown and skipped when there are any). */
export const outcomeSummary = (counts: BulkCounts) =>
  [
    `${counts.applied.toLocaleString('en-US')} applied`,
    `${counts.outcomeNoop.toLocaleString('en-US')} already so`,
    `${counts.outcomeRefused.toLocaleString('en-US')} refused`,
    `${counts.failed.toLocaleString('en-US')} failed`,
    ...(counts.unknown > 0 ? [`${counts.unknown.toLocaleString('en-US')} unknown`] : []),
    ...(counts.skipped > 0 ? [`${counts.skipped.toLocaleString('en-US')} skipped`] : []),
  ].join(' · ');

/** "About 40 s left", "About 3 min left": seconds rounded up to the next 5 under a minute, whole minutes above. */
export const formatTimeLeft = (secondsLeft: number) => {
  const seconds = Math.max(1, Math.ceil(secondsLeft));
  if (seconds < 60) return `About ${Math.max(5, Math.ceil(seconds / 5) * 5)} s left`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `About ${minutes} min left` : `About ${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
};
