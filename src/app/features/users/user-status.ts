import type { BrowserFoundUser } from '../../../api';

const LABELS: Partial<Record<string, string>> = {
  ACTIVE: 'Active',
  LOCKED: 'Locked',
  DEACTIVE: 'Deactivated',
  CLOSED: 'Closed',
};

/** A user's status as people read it (the lookup may also answer CLOSED); one MassPay adds later shows as itself. */
export const userStatusLabel = (status: NonNullable<BrowserFoundUser['status']>): string => LABELS[status] ?? status;
