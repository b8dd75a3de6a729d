import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useId, useRef } from 'react';
import { Link as RouterLink } from 'react-router';
import { useAnnounce } from '../../../components/StatusRegion';
import { shortToken } from '../../../lib/format';
import { clearRecentUsers } from '../recent-users';
import { useRecentUsers } from '../use-recent-users';

/** The users opened last in this browser, newest first, each a link to their page. */
export const RecentUsers = () => {
  const users = useRecentUsers();
  const announce = useAnnounce();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const clear = () => {
    clearRecentUsers();
    // The button goes away with the list: keep the focus in this section rather than lose it.
    heading.current?.focus();
    announce('Recently opened users cleared');
  };
  return (
    <Paper component="section" variant="outlined" aria-labelledby={headingId} sx={{ p: { xs: 2, sm: 3 } }}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 1 }}>
        <Typography id={headingId} ref={heading} tabIndex={-1} variant="h6" component="h2" sx={{ outline: 'none' }}>
          Recently opened
        </Typography>
        {users.length > 0 && (
          <Button size="small" onClick={clear} aria-label="Clear recently opened users">
            Clear
          </Button>
        )}
      </Stack>
      {users.length > 0 ? (
        <Stack component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }}>
          {users.map((user) => (
            <Stack component="li" key={user.token} direction="row" sx={{ py: 0.75, columnGap: 1.5, alignItems: 'baseline', flexWrap: 'wrap' }}>
              <Link component={RouterLink} to={`/users/${encodeURIComponent(user.token)}`}>
                {user.name || user.token}
              </Link>
              <Typography component="span" variant="body2" color="text.secondary" sx={{ fontFamily: 'monospace' }}>
                {shortToken(user.token)}
              </Typography>
            </Stack>
          ))}
        </Stack>
      ) : (
        <Typography color="text.secondary">No recently opened users. The users you open appear here, in this browser only.</Typography>
      )}
    </Paper>
  );
};
