import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { useId, useState } from 'react';
import type { BulkJob } from '../../../../api';
import { useAnnounce } from '../../../components/StatusRegion';
import { useBulkJobAction } from '../api/bulk-job-action';
import { countOf } from '../bulk-labels';
import { DecisionActions, DecisionCommentField, DecisionFailure, isCommentTooLong } from '../../approvals/components/DecisionParts';

export interface JobDecisionDialogProps {
  job: BulkJob;
  decision: 'approve' | 'reject';
  onClose: () => void;
}

/** A second person approves or rejects a job's dry run as a whole, with an optional comment. */
const JobDecisionDialog = ({ job, decision, onClose }: JobDecisionDialogProps) => {
  const id = useId();
  const announce = useAnnounce();
  const mutation = useBulkJobAction(job.id);
  const [comment, setComment] = useState('');
  const approving = decision === 'approve';
  const verb = approving ? 'Approve' : 'Reject';
  const tooLong = isCommentTooLong(comment);

  const send = () => {
    if (tooLong) return;
    mutation.mutate(
      { action: decision, comment },
      {
        onSuccess: () => {
          announce(approving ? 'Dry run approved: the job may be applied' : 'Dry run rejected: the job will not run');
          onClose();
        },
      },
    );
  };

  return (
    <Dialog open onClose={() => !mutation.isPending && onClose()} aria-labelledby={`${id}-title`} aria-describedby={`${id}-text`} fullWidth maxWidth="sm">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <DialogTitle id={`${id}-title`}>{verb} bulk job</DialogTitle>
        <DialogContent>
          <DialogContentText id={`${id}-text`} sx={{ mb: 2 }}>
            {job.fileName}, uploaded by {job.requestedByName}: {countOf(job.counts.change, 'change')}, {job.counts.noop.toLocaleString('en-US')} already so,{' '}
            {job.counts.refused.toLocaleString('en-US')} refused. {approving ? 'Once approved, an editor or admin may apply it.' : 'A rejected job never runs.'}
          </DialogContentText>
          <DecisionCommentField comment={comment} onChange={setComment} />
          <DecisionFailure approving={approving} failure={mutation.isError ? mutation.error : undefined} />
        </DialogContent>
        <DecisionActions approving={approving} pending={mutation.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
};

export default JobDecisionDialog;
