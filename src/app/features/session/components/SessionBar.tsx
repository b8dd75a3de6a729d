import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { Link as RouterLink } from 'react-router';
import { can, type StaffMember } from '../../../../api';
import { describeError } from '../../../lib/api-error';
import { ApprovalsLink } from '../../approvals/components/ApprovalsLink';
import { useSignOut } from '../api/sign-out';

/** The app bar's part about the signed-in staff member: who and in which role, approvals, bulk changes, the audit log for admins, Sign out. */
const SessionBar = ({ staff }: { staff: StaffMember }) => {
  const signOut = useSignOut();
  return (
    // Narrower than md: under the console's name, beside the theme button (Layout's toolbar wraps there).
    <Stack
      direction="row"
      spacing={2}
      useFlexGap
      sx={{
        alignItems: 'center',
        flexWrap: 'wrap',
        justifyContent: { xs: 'flex-start', md: 'flex-end' },
        mr: { xs: 0, md: 1 },
        flex: { xs: 1, md: '0 1 auto' },
      }}
    >
      <ApprovalsLink />
      <Link component={RouterLink} to="/bulk" color="inherit" underline="hover">
        Bulk changes
      </Link>
      {can(staff.role, 'readAudit') && (
        <Link component={RouterLink} to="/audit" color="inherit" underline="hover">
          Audit log
        </Link>
      )}
      <Typography component="span" variant="body2">
        {staff.name} · {staff.role}
      </Typography>
      <Button color="inherit" variant="outlined" size="small" loading={signOut.isPending} aria-busy={signOut.isPending} onClick={() => signOut.mutate()}>
        Sign out
      </Button>
      {signOut.isError && (
        <Alert severity="error" role="alert" variant="filled" sx={{ py: 0 }}>
          Not signed out. {describeError(signOut.error)}
        </Alert>
      )}
    </Stack>
  );
};

export default SessionBar;
