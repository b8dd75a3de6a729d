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
import { describeError, isApiError, isOutcomeOpen, isSettledRefusal } from '../../../lib/api-error';
import { formatPercent } from '../../../lib/format';
import { newIdempotencyKey } from '../../../lib/idempotency-key';
import { ApprovalNote } from '../../approvals/components/ApprovalNote';
import { isChangeRequest } from '../../approvals/held-change';
import { useChangeReasonMode } from '../../settings/api/get-console-settings';
import { useDeleteAutopayRule } from '../api/delete-autopay-rule';
import { reasonFieldSchema } from '../change-reason';
import { ReasonField } from './ReasonField';

export interface DeleteRuleDialogProps {
  userToken: string;
  walletToken: string;
  rule: AutopayRule;
  destinationLabel: string;
  /** The wallet's rules now: whether the deletion will wait for approval depends on them. */
  rules?: AutopayRule[];
  onClose: (deleted: boolean) => void;
}

/**
 * "Delete autopay rule?" — names what goes; Cancel changes nothing; a retry reuses the same key (the
 * reason is no part of the submission: changing it keeps the key). After a refusal that settles it,
 * the next attempt is a new submission with a new key.
 */
const DeleteRuleDialog = ({ userToken, walletToken, rule, destinationLabel, rules = [], onClose }: DeleteRuleDialogProps) => {
  const announce = useAnnounce();
  const mutation = useDeleteAutopayRule(userToken, walletToken);
  const reasonMode = useChangeReasonMode();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  // One key for this rule's deletion, however often it is retried from this dialog.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);

  const checkReason = (value: string) => {
    const checked = reasonFieldSchema(reasonMode).safeParse(value);
    setReasonError(checked.success ? undefined : checked.error.issues[0]?.message);
    return checked;
  };

  // The same style as the add and edit dialogs: await the change, then say what happened.
  const confirm = async () => {
    const checked = checkReason(reason);
    if (!checked.success) return;
    try {
      const result = await mutation.mutateAsync({ ruleToken: rule.token, idempotencyKey, reason: checked.data });
      if (isChangeRequest(result)) {
        announce(`Sent for approval: delete ${formatPercent(rule.percentage)} to ${destinationLabel}`);
        return onClose(false);
      }
      announce(`Rule deleted: ${formatPercent(rule.percentage)} to ${destinationLabel}`);
      onClose(true);
    } catch (error) {
      const message = isApiError(error) ? error.fieldErrors.reason?.[0] : undefined;
      if (message) setReasonError(message);
      if (isSettledRefusal(error)) setIdempotencyKey(newIdempotencyKey());
    }
  };

  const failure = mutation.isError && !(isApiError(mutation.error) && mutation.error.fieldErrors.reason) ? mutation.error : undefined;
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
        <ReasonField
          mode={reasonMode}
          value={reason}
          error={reasonError}
          onChange={(e) => {
            setReason(e.target.value);
            if (reasonError) checkReason(e.target.value);
          }}
          onBlur={() => checkReason(reason)}
          fullWidth
          margin="normal"
        />
        <ApprovalNote rules={rules} change={{ action: 'delete_rule', ruleToken: rule.token }} />
        {failure !== undefined && (
          <Alert severity="error" role="alert" sx={{ mt: 2 }}>
            {isOutcomeOpen(failure) ? describeError(failure) : `The rule was not deleted. ${describeError(failure)}`}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(false)} disabled={mutation.isPending} autoFocus>
          Cancel
        </Button>
        <Button onClick={() => void confirm()} color="error" variant="contained" loading={mutation.isPending} aria-busy={mutation.isPending}>
          Delete
        </Button>
      </DialogActions>
    </Dialog>
  );
};

export default DeleteRuleDialog;
