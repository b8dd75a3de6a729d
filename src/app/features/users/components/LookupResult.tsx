import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { UseQueryResult } from '@tanstack/react-query';
import { Link as RouterLink } from 'react-router';
import type { BrowserFoundUser } from '../../../../api';
import { ErrorState } from '../../../components/LazyErrorState';
import { isApiError } from '../../../lib/api-error';
import { shortToken } from '../../../lib/format';
import { userStatusLabel } from '../user-status';

const isNoMatch = (error: unknown) => isApiError(error) && error.status === 404;

// Plain text and a link only: the user page has the token's copy button and the status dot. (Using
// those components here too would split the pages' shared code into more, smaller first-load files.)
const FoundUserCard = ({ user }: { user: BrowserFoundUser }) => (
  <Stack spacing={0.5}>
    <Stack direction="row" spacing={2} sx={{ alignItems: 'baseline', flexWrap: 'wrap' }}>
      <Link component={RouterLink} to={`/users/${encodeURIComponent(user.user_token)}`} variant="h6">
        {user.first_name} {user.last_name}
      </Link>
      {user.status && <Typography sx={{ fontWeight: 500 }}>{userStatusLabel(user.status)}</Typography>}
    </Stack>
    <Typography color="text.secondary">
      Internal ID {user.internal_user_id} ·{' '}
      <Typography component="span" title={user.user_token} sx={{ fontFamily: 'monospace' }}>
        {shortToken(user.user_token)}
      </Typography>
    </Typography>
  </Stack>
);

/**
 * What a lookup found: the user with a link to their page, or "No user found" — a normal answer,
 * read out politely (`role=status`), not an alert. A failure of MassPay or the console is an alert
 * with Retry.
 */
export const LookupResult = ({ lookup, noMatchHint }: { lookup: UseQueryResult<BrowserFoundUser>; noMatchHint: string }) => {
  const failed = lookup.isError && !isNoMatch(lookup.error);
  return (
    <>
      {failed && !lookup.isFetching && <ErrorState error={lookup.error} title="Could not look the user up" onRetry={() => void lookup.refetch()} />}
      <Stack role="status" sx={{ mt: 2, '&:empty': { mt: 0 } }}>
        {lookup.isFetching ? (
          <Typography color="text.secondary">Looking up…</Typography>
        ) : lookup.data ? (
          <FoundUserCard user={lookup.data} />
        ) : isNoMatch(lookup.error) ? (
          <Typography>
            <strong>No user found.</strong> {noMatchHint}
          </Typography>
        ) : null}
      </Stack>
    </>
  );
};
