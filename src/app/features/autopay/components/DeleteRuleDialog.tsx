import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { useState } from 'react';
import type { AutopayRule } from '../../../../api';
import { useAnnounce } from '../../../components/StatusRegion';
import { describeError } from '../../../lib/api-error';
import { formatPercent } from '../../../lib/format';
import { newIdempotencyKey } from '../../../lib/idempotency-key';
import { useDeleteAutopayRule } from '../api/delete-autopay-rule';

export interface DeleteRuleDialogProps {
  userToken: string;
  walletToken: string;
  rule: AutopayRule;
  destinationLabel: string;
  onClose: (deleted: boolean) => void;
}

/** "Delete autopay rule?" — names what goes; Cancel changes nothing; a retry reuses the same key. */
const DeleteRuleDialog = ({ userToken, walletToken, rule, destinationLabel, onClose }: DeleteRuleDialogProps) => {
  const announce = useAnnounce();
  const mutation = useDeleteAutopayRule(userToken, walletToken);
  // One key for this rule's deletion, however often it is retried from this dialog.
  const [idempotencyKey] = useState(newIdempotencyKey);

  const confirm = () =>
    mutation.mutate(
      { ruleToken: rule.token, idempotencyKey },
      {
        onSuccess: () => {
          announce(`Rule deleted: ${formatPercent(rule.percentage)} to ${destinationLabel}`);
          onClose(true);
        },
      },
    );

  return (
    <Dialog
      open
      role="alertdialog"
      aria-labelledby="delete-rule-title"
      aria-describedby="delete-rule-text"
      onClose={() => !mutation.isPending && onClose(false)}
    >
      <DialogTitle id="delete-rule-title">Delete autopay rule?</DialogTitle>
      <DialogContent>
        <DialogContentText id="delete-rule-text">
          {formatPercent(rule.percentage)} of every load will no longer be sent to {destinationLabel}. This takes effect for the next load.
        </DialogContentText>
        {mutation.isError && (
          <Alert severity="error" role="alert" sx={{ mt: 2 }}>
            The rule was not deleted. {describeError(mutation.error)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(false)} disabled={mutation.isPending} autoFocus>
          Cancel
        </Button>
        <Button onClick={confirm} color="error" variant="contained" loading={mutation.isPending} aria-busy={mutation.isPending}>
          Delete
        </Button>
      </DialogActions>
    </Dialog>
  );
};

export default DeleteRuleDialog;
