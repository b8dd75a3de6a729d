import Alert from '@mui/material/Alert';
import { lazy, Suspense, useState } from 'react';
import { can, type ChangeRequest } from '../../../../api';
import { useAnnounce } from '../../../components/StatusRegion';
import { describeError } from '../../../lib/api-error';
import { useSession } from '../../session/api/get-session';
import { useDecideChangeRequest, type Decision } from '../api/change-requests';
import { ChangeRequestsTable } from './ChangeRequestsTable';

// The decision dialog loads when someone decides.
const DecisionDialog = lazy(() => import('./DecisionDialog'));

/**
 * Change requests with what the signed-in staff member may do to them: approve or reject (in a dialog,
 * with a comment), or withdraw their own at once.
 */
export const ChangeRequests = ({ requests, refreshing, showWallet }: { requests: ChangeRequest[] | undefined; refreshing?: boolean; showWallet?: boolean }) => {
  const staff = useSession().data;
  const announce = useAnnounce();
  const withdraw = useDecideChangeRequest();
  const [deciding, setDeciding] = useState<{ request: ChangeRequest; decision: 'approve' | 'reject' }>();

  const onDecide = (request: ChangeRequest, decision: Decision) => {
    if (decision !== 'withdraw') return setDeciding({ request, decision });
    withdraw.mutate({ request, decision }, { onSuccess: () => announce('Change request withdrawn') });
  };

  return (
    <>
      {withdraw.isError && (
        <Alert severity="error" role="alert" sx={{ mb: 2 }}>
          Not withdrawn. {describeError(withdraw.error)}
        </Alert>
      )}
      <ChangeRequestsTable
        requests={requests}
        refreshing={refreshing}
        staffEmail={staff?.email}
        canDecide={staff ? can(staff.role, 'changeRules') : false}
        showWallet={showWallet}
        onDecide={onDecide}
        busyId={withdraw.isPending ? withdraw.variables.request.id : undefined}
      />
      <Suspense fallback={null}>{deciding && <DecisionDialog {...deciding} onClose={() => setDeciding(undefined)} />}</Suspense>
    </>
  );
};
