import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { Link as RouterLink } from 'react-router';
import { PageTitle } from './PageTitle';

/** Its own page for what does not exist: never a blank screen. */
export const NotFoundView = ({ title, children }: { title: string; children?: React.ReactNode }) => (
  <Stack spacing={2} sx={{ py: 4, alignItems: 'flex-start' }}>
    <PageTitle title={title} />
    <Typography variant="h4" component="h1">
      {title}
    </Typography>
    <Typography color="text.secondary">{children ?? 'There is nothing at this address.'}</Typography>
    <Link component={RouterLink} to="/">
      Find a user
    </Link>
  </Stack>
);
