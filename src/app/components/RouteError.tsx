import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { FallbackProps } from 'react-error-boundary';
import { PageTitle } from './PageTitle';

/** A route's error boundary: the page that broke says so and offers Retry; the rest keeps working. */
const RouteError = ({ error, resetErrorBoundary }: FallbackProps) => (
  <Stack role="alert" spacing={2} sx={{ py: 4, alignItems: 'flex-start' }}>
    <PageTitle title="Something went wrong" />
    <Typography variant="h4" component="h1">
      Something went wrong
    </Typography>
    <Typography color="text.secondary">
      This page could not be shown{error instanceof Error ? `: ${error.message}` : ''}. Retry; if it happens again, tell the console team.
    </Typography>
    <Button variant="contained" onClick={resetErrorBoundary}>
      Retry
    </Button>
  </Stack>
);

export default RouteError;
