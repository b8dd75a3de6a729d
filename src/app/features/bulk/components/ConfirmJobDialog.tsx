import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { useId } from 'react';
import type { BulkJob } from '../../../../api';
import { useAnnounce } from '../../../components/StatusRegion';
import { describeError } from '../../../lib/api-error';
import { useBulkJobAction } from '../api/bulk-job-action';
import { applyQuestion, countOf } from '../bulk-labels';

export interface ConfirmJobDialogProps {
  job: BulkJob;
  /** Apply the dry run (start the job), or cancel the job. */
  action: 'start' | 'cancel';
  onClose: () => void;
  /** The job moved (its buttons change): the page puts the focus somewhere that stays. */
  onMoved?: () => void;
}

/** Money moves: applying a job, or cancelling one, is confirmed first; Cancel / Keep the job changes nothing. */
const ConfirmJobDialog = ({ job, action, onClose, onMoved }: ConfirmJobDialogProps) => {
  const id = useId();
  const announce = useAnnounce();
  const mutation = useBulkJobAction(job.id);
  const starting = action === 'start';

  const confirm = () =>
    mutation.mutate(
      { action },
      {
        onSuccess: () => {
          announce(starting ? 'Job started: the changes are being applied' : 'Job cancelled');
          onMoved?.();
          onClose();
        },
      },
    );

  const done = job.counts.done;
  return (
    <Dialog
      open
      role="alertdialog"
      onClose={() => !mutation.isPending && onClose()}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id={`${id}-title`}>{starting ? applyQuestion(job.counts.change, job.counts.changeWallets) : 'Cancel this job?'}</DialogTitle>
      <DialogContent>
        <DialogContentText id={`${id}-text`}>
          {starting
            ? `The server applies ${job.fileName}'s ${countOf(job.counts.change, 'change')} row by row through the console's checks, each at most once. You can pause or cancel it while it runs; rows already applied stay.`
            : `Rows not applied yet are skipped${done > 0 ? `; the ${countOf(done, 'row')} already done stay as they are` : ''}. A cancelled job cannot be started again.`}
        </DialogContentText>
        {mutation.isError && (
          <Alert severity="error" role="alert" sx={{ mt: 2 }}>
            {starting ? 'Not started.' : 'Not cancelled.'} {describeError(mutation.error)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={mutation.isPending}>
          {starting ? 'Cancel' : 'Keep the job'}
        </Button>
        <Button onClick={confirm} variant="contained" color={starting ? 'primary' : 'error'} loading={mutation.isPending} aria-busy={mutation.isPending}>
          {starting ? 'Apply' : 'Cancel job'}
        </Button>
      </DialogActions>
    </Dialog>
  );
};

export default ConfirmJobDialog;
