import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import { describeError } from '../lib/api-error';

export interface ErrorStateProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}

/** A failure to load: what went wrong, what to do, and a Retry that tries again in place. */
const ErrorState = ({ error, title = 'Could not load this', onRetry }: ErrorStateProps) => (
  <Alert
    severity="error"
    role="alert"
    sx={{ my: 2 }}
    action={
      onRetry && (
        <Button color="inherit" size="small" onClick={onRetry}>
          Retry
        </Button>
      )
    }
  >
    <AlertTitle>{title}</AlertTitle>
    {describeError(error)}
  </Alert>
);

export default ErrorState;
