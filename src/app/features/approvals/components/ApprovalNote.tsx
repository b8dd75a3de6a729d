import Alert from '@mui/material/Alert';
import { approvalNeeded, type AutopayRule, type ProposedChange } from '../../../../api';
import { useApprovalPolicy } from '../use-approval-policy';

/**
 * In a change dialog: says beforehand that this change will wait for a second person, and why (the
 * same decision the server makes under `APPROVAL_POLICY`). Nothing while the change is not known yet.
 */
export const ApprovalNote = ({ rules, change }: { rules: readonly AutopayRule[]; change: ProposedChange | undefined }) => {
  const policy = useApprovalPolicy();
  const why = change ? approvalNeeded(policy, rules, change) : null;
  if (!why) return null;
  return (
    <Alert severity="info" role="note" sx={{ mt: 2 }}>
      This change will wait for approval: another editor or admin must approve it before it is made. {why}
    </Alert>
  );
};
