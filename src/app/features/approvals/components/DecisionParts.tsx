import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import DialogActions from '@mui/material/DialogActions';
import { DECISION_COMMENT_MAX } from '../../../../api';
import { OutlinedTextField } from '../../../components/OutlinedTextField';
import { describeError } from '../../../lib/api-error';

/** Over the length the server takes (a change request's or a bulk job's decision). */
export const isCommentTooLong = (comment: string) => comment.trim().length > DECISION_COMMENT_MAX;

/** The decision dialogs' optional `Comment`, with the server's limit said before asking it. */
export const DecisionCommentField = ({ comment, onChange }: { comment: string; onChange: (comment: string) => void }) => {
  const tooLong = isCommentTooLong(comment);
  return (
    <OutlinedTextField
      label="Comment"
      value={comment}
      onChange={(event) => onChange(event.target.value)}
      autoFocus
      fullWidth
      multiline
      minRows={2}
      error={tooLong}
      helperText={tooLong ? `A comment is at most ${DECISION_COMMENT_MAX} characters` : 'Optional'}
    />
  );
};

/** Why a decision was not taken, as an alert; nothing while there is no failure. */
export const DecisionFailure = ({ approving, failure }: { approving: boolean; failure: unknown }) =>
  failure === undefined || failure === null ? null : (
    <Alert severity="error" role="alert" sx={{ mt: 2 }}>
      Not {approving ? 'approved' : 'rejected'}. {describeError(failure)}
    </Alert>
  );

/** `Cancel` and the decision's own button (a form's submit), busy while the decision is asked for. */
export const DecisionActions = ({ approving, pending, onCancel }: { approving: boolean; pending: boolean; onCancel: () => void }) => (
  <DialogActions>
    <Button onClick={onCancel} disabled={pending}>
      Cancel
    </Button>
    <Button type="submit" variant="contained" color={approving ? 'primary' : 'error'} loading={pending} aria-busy={pending}>
      {approving ? 'Approve' : 'Reject'}
    </Button>
  </DialogActions>
);
