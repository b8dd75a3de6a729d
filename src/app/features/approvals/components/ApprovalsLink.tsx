import Link from '@mui/material/Link';
import { Link as RouterLink } from 'react-router';
import { usePendingCount } from '../api/change-requests';
import { useApprovalPolicy } from '../use-approval-policy';

/** The app bar's way to `/approvals`; its name carries how many changes wait, e.g. "Approvals (2)" (counted while approvals are on). */
export const ApprovalsLink = () => {
  const policyOn = useApprovalPolicy().kind !== 'off';
  const pending = usePendingCount({ enabled: policyOn }).data;
  return (
    <Link component={RouterLink} to="/approvals" color="inherit" underline="hover">
      {pending ? `Approvals (${pending})` : 'Approvals'}
    </Link>
  );
};
