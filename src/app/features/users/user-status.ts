import type { FoundUser } from '../../../api';

/** A found user's status as people read it (the lookup may also answer CLOSED). */
export const USER_STATUS: Record<NonNullable<FoundUser['status']>, string> = {
  ACTIVE: 'Active',
  LOCKED: 'Locked',
  DEACTIVE: 'Deactivated',
  CLOSED: 'Closed',
};
