import { parseApprovalPolicy, type ApprovalPolicy } from '../../../api';
import { useConsoleSettings } from '../settings/api/get-console-settings';

const OFF: ApprovalPolicy = { kind: 'off' };

/** The console's `APPROVAL_POLICY` (from its settings); off until known or when unreadable: the server decides anyway. */
export const useApprovalPolicy = (): ApprovalPolicy => {
  const text = useConsoleSettings().data?.approvalPolicy;
  return (text && parseApprovalPolicy(text)) || OFF;
};
