import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { StoredUser } from '../../../../api';
import { StatusText } from '../../../components/StatusText';
import { TokenText } from '../../../components/TokenText';

export const fullName = (user: Pick<StoredUser, 'first_name' | 'last_name'>) => `${user.first_name} ${user.last_name}`;

const STATUS_LABEL = { ACTIVE: 'Active', LOCKED: 'Locked', DEACTIVE: 'Deactivated' } as const;
const STATUS_TONE = { ACTIVE: 'success', LOCKED: 'warning', DEACTIVE: 'neutral' } as const;

/** The payee: name, email, status, tokens. */
export const UserHeader = ({ user }: { user: StoredUser }) => (
  <Stack spacing={1} sx={{ mb: 3 }}>
    <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
      <Typography variant="h4" component="h1">
        {fullName(user)}
      </Typography>
      <StatusText label={STATUS_LABEL[user.status]} tone={STATUS_TONE[user.status]} />
    </Stack>
    <Stack direction="row" spacing={3} sx={{ flexWrap: 'wrap', color: 'text.secondary' }}>
      <Typography>{user.email}</Typography>
      <Typography>Internal ID {user.internal_user_id}</Typography>
      <TokenText token={user.user_token} label="User" />
    </Stack>
  </Stack>
);
