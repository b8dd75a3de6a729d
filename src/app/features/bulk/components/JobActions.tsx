import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { lazy, Suspense, useState } from 'react';
import { can, type BulkJob, type StaffMember } from '../../../../api';
import { useAnnounce } from '../../../components/StatusRegion';
import { describeError } from '../../../lib/api-error';
import { useApprovalPolicy } from '../../approvals/use-approval-policy';
import { useBulkJobAction } from '../api/bulk-job-action';
import { hasEnded } from '../bulk-labels';

// The dialogs load when someone acts.
const ConfirmJobDialog = lazy(() => import('./ConfirmJobDialog'));
const JobDecisionDialog = lazy(() => import('./JobDecisionDialog'));

type Open = { kind: 'confirm'; action: 'start' | 'cancel' } | { kind: 'decide'; decision: 'approve' | 'reject' };

/** Whether the job waits for a second person's decision before it may be applied. */
const awaitsDecision = (job: BulkJob, policyOn: boolean) => policyOn && (job.status === 'ready' || job.status === 'awaiting_approval');

/** What a job waits for, said to everyone (viewers included). */
export const JobWaitNote = ({ job, staff }: { job: BulkJob; staff: StaffMember | undefined }) => {
  const policyOn = useApprovalPolicy().kind !== 'off';
  if (awaitsDecision(job, policyOn)) {
    const own = staff?.email === job.requestedBy;
    return (
      <Alert severity="info" sx={{ my: 2 }}>
        This job waits for a second person: another editor or admin must approve its dry run before it can be applied.
        {own ? ' You uploaded it, so you cannot approve it yourself.' : ''}
      </Alert>
    );
  }
  if (job.decidedByName && (job.status === 'approved' || job.status === 'rejected')) {
    return (
      <Alert severity={job.status === 'approved' ? 'success' : 'warning'} sx={{ my: 2 }}>
        {job.status === 'approved' ? 'Approved' : 'Rejected'} by {job.decidedByName}
        {job.decisionComment ? `: “${job.decisionComment}”` : '.'}
      </Alert>
    );
  }
  return null;
};

/**
 * The buttons of a job by its state and the staff member's role: Apply (confirmed), Approve / Reject
 * (another editor or admin, when a second person is required), Pause, Resume, Cancel job (confirmed).
 */
export const JobActions = ({ job, staff, onMoved }: { job: BulkJob; staff: StaffMember | undefined; onMoved?: () => void }) => {
  const policyOn = useApprovalPolicy().kind !== 'off';
  const announce = useAnnounce();
  const immediate = useBulkJobAction(job.id);
  const [open, setOpen] = useState<Open>();
  if (!staff || !can(staff.role, 'changeRules') || hasEnded(job.status)) return null;

  const deciding = awaitsDecision(job, policyOn);
  const mayDecide = deciding && staff.email !== job.requestedBy;
  const mayStart = (job.status === 'ready' || job.status === 'awaiting_approval' || job.status === 'approved') && !deciding && job.counts.change > 0;
  const nothingToApply = (job.status === 'ready' || job.status === 'approved') && job.counts.change === 0;

  const act = (action: 'pause' | 'resume') => immediate.mutate({ action }, { onSuccess: () => announce(action === 'pause' ? 'Job paused' : 'Job resumed') });

  return (
    <>
      <Stack direction="row" spacing={1.5} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center', my: 2 }}>
        {mayStart && (
          <Button variant="contained" onClick={() => setOpen({ kind: 'confirm', action: 'start' })}>
            Apply
          </Button>
        )}
        {mayDecide && (
          <>
            <Button variant="contained" onClick={() => setOpen({ kind: 'decide', decision: 'approve' })}>
              Approve
            </Button>
            <Button variant="outlined" color="error" onClick={() => setOpen({ kind: 'decide', decision: 'reject' })}>
              Reject
            </Button>
          </>
        )}
        {job.status === 'running' && (
          <Button variant="outlined" loading={immediate.isPending} aria-busy={immediate.isPending} onClick={() => act('pause')}>
            Pause
          </Button>
        )}
        {job.status === 'paused' && (
          <Button variant="contained" loading={immediate.isPending} aria-busy={immediate.isPending} onClick={() => act('resume')}>
            Resume
          </Button>
        )}
        <Button variant="outlined" color="error" onClick={() => setOpen({ kind: 'confirm', action: 'cancel' })}>
          Cancel job
        </Button>
        {nothingToApply && <Typography color="text.secondary">Nothing to apply: no row changes a wallet.</Typography>}
      </Stack>
      {immediate.isError && (
        <Alert severity="error" role="alert" sx={{ mb: 2 }}>
          {immediate.variables.action === 'pause' ? 'Not paused.' : 'Not resumed.'} {describeError(immediate.error)}
        </Alert>
      )}
      <Suspense fallback={null}>
        {open?.kind === 'confirm' && <ConfirmJobDialog job={job} action={open.action} onClose={() => setOpen(undefined)} onMoved={onMoved} />}
        {open?.kind === 'decide' && <JobDecisionDialog job={job} decision={open.decision} onClose={() => setOpen(undefined)} />}
      </Suspense>
    </>
  );
};
