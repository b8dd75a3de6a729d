import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { BrowserUser } from '../../../../api';
import { StatusText } from '../../../components/StatusText';
import { TokenText } from '../../../components/TokenText';
import { userStatusLabel } from '../user-status';

export const fullName = (user: Pick<BrowserUser, 'first_name' | 'last_name'>) => `${user.first_name} ${user.last_name}`;

const STATUS_TONE: Partial<Record<string, 'success' | 'warning' | 'neutral'>> = { ACTIVE: 'success', LOCKED: 'warning', DEACTIVE: 'neutral' };

/** The payee: name, email, status, tokens. */
export const UserHeader = ({ user }: { user: BrowserUser }) => (
  <Stack spacing={1} sx={{ mb: 3 }}>
    <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
      <Typography variant="h4" component="h1">
        {fullName(user)}
      </Typography>
      <StatusText label={userStatusLabel(user.status)} tone={STATUS_TONE[user.status] ?? 'neutral'} />
    </Stack>
    <Stack direction="row" spacing={3} sx={{ flexWrap: 'wrap', color: 'text.secondary' }}>
      <Typography>{user.email}</Typography>
      <Typography>Internal ID {user.internal_user_id}</Typography>
      <TokenText token={user.user_token} label="User" />
    </Stack>
  </Stack>
);
