import { zodResolver } from '@hookform/resolvers/zod';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import { useMemo, useRef } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { percentageSchema, toBasisPoints, type AutopayRule, type ChangePercentageResult } from '../../../../api';
import { FormTextField } from '../../../components/FormTextField';
import { useAnnounce } from '../../../components/StatusRegion';
import { formatPercent } from '../../../lib/format';
import { ApprovalNote } from '../../approvals/components/ApprovalNote';
import { isChangeRequest } from '../../approvals/held-change';
import { useChangeReasonMode } from '../../settings/api/get-console-settings';
import { allocationOf } from '../allocation';
import { useChangeRulePercentage } from '../api/change-rule-percentage';
import { useChangeSubmission } from '../use-change-submission';
import { changePercentageFormSchema, type ChangePercentageFormOutput, type ChangePercentageFormValues } from '../rule-form-schema';
import { ReasonField } from './ReasonField';

export interface ChangePercentageDialogProps {
  userToken: string;
  walletToken: string;
  /** The rule as it was when the dialog opened. */
  rule: AutopayRule;
  /** The wallet's rules now (they refresh while the dialog is open). */
  rules: AutopayRule[];
  destinationLabel: string;
  /** `result` when the change was made: the new rule replaced the old one. */
  onClose: (result?: ChangePercentageResult) => void;
}

const FIELDS = ['percentage', 'reason'] as const;

/** "Leaves 5 % unallocated" for what is typed, when it is a share at all. */
const remainderText = (typed: string, othersBp: number): string | undefined => {
  const value = typed.trim();
  if (!/^\d+(\.\d+)?$/.test(value) || !percentageSchema.safeParse(Number(value)).success) return undefined;
  const leftBp = 10_000 - othersBp - toBasisPoints(Number(value));
  return leftBp >= 0 ? `Leaves ${formatPercent(leftBp / 100)} unallocated` : `That would make ${formatPercent((10_000 - leftBp) / 100)}: more than 100 %`;
};

/**
 * "Change percentage": one rule's new share, within what the other rules leave, and a reason. MassPay
 * has no update, so the console deletes the old rule and creates the new one (a new token). Saving the
 * same percentage again after a failure reuses the Idempotency-Key; the reason is no part of it.
 */
const ChangePercentageDialog = ({ userToken, walletToken, rule, rules, destinationLabel, onClose }: ChangePercentageDialogProps) => {
  const announce = useAnnounce();
  const mutation = useChangeRulePercentage(userToken, walletToken);
  const reasonMode = useChangeReasonMode();
  const selectedOnOpen = useRef(false);

  const othersBp = allocationOf(rules.filter((r) => r.token !== rule.token)).allocatedBp;
  const schema = useMemo(() => changePercentageFormSchema({ current: rule.percentage, othersBp, reasonMode }), [rule.percentage, othersBp, reasonMode]);
  const form = useForm<ChangePercentageFormValues, unknown, ChangePercentageFormOutput>({
    resolver: zodResolver(schema),
    mode: 'onTouched',
    defaultValues: { percentage: String(rule.percentage), reason: '' },
  });
  const { control, handleSubmit, setError, formState } = form;
  const typed = useWatch({ control, name: 'percentage' });
  const remainder = remainderText(typed, othersBp);
  const maxText = `Up to ${formatPercent(Math.max(0, 10_000 - othersBp) / 100)}, two decimals at most`;

  const submission = useChangeSubmission({ fields: FIELDS, setError, notDone: 'The percentage was not changed.' });
  const { formError } = submission;

  const save = async ({ percentage, reason }: ChangePercentageFormOutput) => {
    const idempotencyKey = submission.keyFor(JSON.stringify({ rule: rule.token, percentage }));
    try {
      const result = await mutation.mutateAsync({ ruleToken: rule.token, percentage, reason, idempotencyKey });
      if (isChangeRequest(result)) {
        announce(`Sent for approval: ${formatPercent(rule.percentage)} → ${formatPercent(percentage)} to ${destinationLabel}`);
        return onClose();
      }
      announce(`Rule changed: ${formatPercent(rule.percentage)} → ${formatPercent(result.rule.percentage)} to ${destinationLabel}`);
      onClose(result);
    } catch (error) {
      submission.failed(error);
    }
  };

  const busy = formState.isSubmitting;
  return (
    <Dialog open onClose={() => !busy && onClose()} aria-labelledby="change-percentage-title" aria-describedby="change-percentage-text" fullWidth maxWidth="sm">
      <form onSubmit={(e) => void handleSubmit(save)(e)} noValidate>
        <DialogTitle id="change-percentage-title">Change percentage</DialogTitle>
        <DialogContent>
          <DialogContentText id="change-percentage-text" sx={{ mb: 1 }}>
            {formatPercent(rule.percentage)} of every load goes to {destinationLabel} now.
          </DialogContentText>
          <DialogContentText sx={{ mb: 2 }}>
            MassPay has no update, so the console deletes the old rule and then creates the new one; a load arriving in between keeps that share in the wallet.
          </DialogContentText>
          <Stack spacing={2}>
            <FormTextField
              control={control}
              name="percentage"
              label="Percentage"
              required
              autoFocus
              autoComplete="off"
              helperText={remainder ?? maxText}
              slotProps={{
                // On opening the whole value is selected: typing replaces it. Once only: the dialog's focus
                // trap may focus the field again while someone types, which must not select what was typed.
                htmlInput: {
                  inputMode: 'decimal',
                  onFocus: (e: React.FocusEvent<HTMLInputElement>) => {
                    if (selectedOnOpen.current) return;
                    selectedOnOpen.current = true;
                    e.currentTarget.select();
                  },
                },
                input: { endAdornment: <span aria-hidden="true">%</span> },
              }}
            />
            <Controller
              name="reason"
              control={control}
              render={({ field, fieldState }) => <ReasonField {...field} mode={reasonMode} error={fieldState.error?.message} />}
            />
          </Stack>
          <ApprovalNote
            rules={rules}
            change={Number.isFinite(Number(typed)) && typed.trim() ? { action: 'edit_rule', ruleToken: rule.token, percentage: Number(typed) } : undefined}
          />
          {formError && (
            <Alert severity="error" role="alert" sx={{ mt: 2 }}>
              {formError}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => onClose()} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" variant="contained" loading={busy} aria-busy={busy}>
            Save
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};

export default ChangePercentageDialog;
