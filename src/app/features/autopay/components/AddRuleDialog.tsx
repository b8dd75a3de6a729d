import { zodResolver } from '@hookform/resolvers/zod';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { TOKEN_PATTERNS, type AutopayRule, type BrowserWallet } from '../../../../api';
import { FormTextField } from '../../../components/FormTextField';
import { useAnnounce } from '../../../components/StatusRegion';
import { isApiError, isUnauthenticated } from '../../../lib/api-error';
import { formatPercent } from '../../../lib/format';
import { useDebounced } from '../../../lib/use-debounced';
import { ApprovalNote } from '../../approvals/components/ApprovalNote';
import { isChangeRequest } from '../../approvals/held-change';
import { useChangeReasonMode } from '../../settings/api/get-console-settings';
import { serviceQueryOptions, toDestination, useService } from '../../catalog/api/get-service';
import { clearAddRuleDraft, saveAddRuleDraft, type AddRuleDraft } from '../add-rule-draft';
import { allocationOf } from '../allocation';
import { useCreateAutopayRule } from '../api/create-autopay-rule';
import { useChangeSubmission } from '../use-change-submission';
import { addRuleFormSchema, type AddRuleFormOutput, type AddRuleFormValues } from '../rule-form-schema';
import { DestinationPicker } from './DestinationPicker';
import { ReasonField } from './ReasonField';

export interface AddRuleDialogProps {
  userToken: string;
  wallet: BrowserWallet;
  rules: AutopayRule[];
  onClose: () => void;
  /** Who is adding: with it, a save that meets an expired session keeps a draft to reopen after signing in. */
  staffEmail?: string;
  /** What was typed before the session expired, and the submission's Idempotency-Key. */
  draft?: AddRuleDraft;
}

const FIELDS = ['destination_token', 'percentage', 'attr_set_token', 'reason'] as const;
const EMPTY: AddRuleFormValues = { destination_token: '', percentage: '', attr_set_token: '', reason: '' };

/** A helper line with nothing to say yet: a no-break space keeps its height. */
const NO_PREVIEW = '\u00a0';

/** The live name of what is typed in Destination token, once typing pauses. */
const DestinationPreview = ({ token }: { token: string }) => {
  const settled = useDebounced(token.trim(), 300);
  const wellFormed = TOKEN_PATTERNS.destination.test(settled);
  const { data, isFetching, isError } = useService(settled, { enabled: wellFormed });
  // The line keeps its height while empty: the name arriving must not move the fields and buttons below
  // it under a pointer about to click (seen in e2e: Save clicked, the line appeared, the click missed).
  if (!wellFormed) return <>{NO_PREVIEW}</>;
  if (isFetching) return <>Looking up the destination…</>;
  if (data) return <>{data.label}</>;
  return <>{isError ? 'No payout destination found for this token' : NO_PREVIEW}</>;
};

/**
 * "Add autopay rule": a destination pasted as a token or picked (country → service), a percentage
 * within what is left, and a reason, checked as typed and again by the console and MassPay. A failed
 * save keeps everything typed, and saving the same rule again reuses the same Idempotency-Key, so a
 * retry never adds twice (the reason is no part of the submission: changing it alone keeps the key).
 * After a refusal that settles it (nothing was done), the next save is a new submission.
 */
const AddRuleDialog = ({ userToken, wallet, rules, onClose: close, staffEmail, draft }: AddRuleDialogProps) => {
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const mutation = useCreateAutopayRule(userToken, wallet.token);
  const reasonMode = useChangeReasonMode();
  const allocation = allocationOf(rules);
  // Saved or given up: the draft has served.
  const onClose = () => {
    clearAddRuleDraft(userToken, wallet.token);
    close();
  };

  const schema = useMemo(() => {
    // react-query keeps no failed answer: remember MassPay's "no such destination" here.
    const unknownDestinations = new Set<string>();
    return addRuleFormSchema({
      reasonMode,
      walletCurrency: wallet.currency_code,
      unallocatedBp: allocation.unallocatedBp,
      usedDestinations: new Set(rules.map((r) => r.destination_token)),
      resolveDestination: async (token) => {
        if (unknownDestinations.has(token)) return null;
        try {
          return toDestination(token, await queryClient.fetchQuery(serviceQueryOptions(token))) ?? null;
        } catch (error) {
          if (isApiError(error) && error.status === 404) {
            unknownDestinations.add(token);
            return null;
          }
          return undefined;
        }
      },
    });
  }, [wallet.currency_code, allocation.unallocatedBp, rules, queryClient, reasonMode]);

  const form = useForm<AddRuleFormValues, unknown, AddRuleFormOutput>({
    resolver: zodResolver(schema),
    mode: 'onTouched',
    defaultValues: draft ? { ...EMPTY, ...draft.values } : EMPTY,
  });
  const { control, handleSubmit, setValue, setError, formState } = form;
  const destinationToken = useWatch({ control, name: 'destination_token' });
  const typedPercentage = useWatch({ control, name: 'percentage' });

  const submission = useChangeSubmission({
    fields: FIELDS,
    setError,
    notDone: 'The rule was not added.',
    initial: draft && { fingerprint: draft.fingerprint, key: draft.idempotencyKey },
  });
  const { formError } = submission;

  const save = async ({ input, reason }: AddRuleFormOutput) => {
    const fingerprint = JSON.stringify(input);
    const idempotencyKey = submission.keyFor(fingerprint);
    // Kept before sending: a 401 takes the person to sign in at once, and this brings them back here.
    if (staffEmail) saveAddRuleDraft(userToken, wallet.token, { staff: staffEmail, values: form.getValues(), fingerprint, idempotencyKey });
    try {
      const answer = await mutation.mutateAsync({ input, idempotencyKey, reason });
      const name = queryClient.getQueryData(serviceQueryOptions(input.destination_token).queryKey);
      const label = (name && toDestination(input.destination_token, name)?.label) ?? input.destination_token;
      // With approvals on, the rule may wait for a second person (a change request) instead.
      announce(
        isChangeRequest(answer)
          ? `Sent for approval: add ${formatPercent(input.percentage)} to ${label}`
          : `Rule added: ${formatPercent(answer.percentage)} to ${label}`,
      );
      onClose();
    } catch (error) {
      if (!isUnauthenticated(error)) clearAddRuleDraft(userToken, wallet.token);
      submission.failed(error);
    }
  };

  const busy = formState.isSubmitting;
  return (
    <Dialog open onClose={() => !busy && onClose()} aria-labelledby="add-rule-title" fullWidth maxWidth="sm">
      <form onSubmit={(e) => void handleSubmit(save)(e)} noValidate>
        <DialogTitle id="add-rule-title">Add autopay rule</DialogTitle>
        <DialogContent>
          <Typography color="text.secondary" sx={{ mb: 2 }}>
            Every load into this {wallet.currency_code} wallet will send this share to the destination. {formatPercent(allocation.unallocated)} is unallocated.
          </Typography>
          {draft && (
            <Alert severity="info" role="note" sx={{ mb: 2 }}>
              You were signed out before this rule was saved. What you typed is back: check it, then Save.
            </Alert>
          )}
          {allocation.unallocatedBp === 0 && (
            <Alert severity="info" role="note" sx={{ mb: 2 }}>
              This wallet is fully allocated: delete a rule to free a share before adding another.
            </Alert>
          )}
          <Stack spacing={2}>
            <FormTextField
              control={control}
              name="destination_token"
              label="Destination token"
              autoFocus
              required
              autoComplete="off"
              helperText={<DestinationPreview token={destinationToken} />}
              slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace' } } }}
            />
            <DestinationPicker
              walletToken={wallet.token}
              currency={wallet.currency_code}
              destinationToken={destinationToken}
              onPick={(token) => setValue('destination_token', token, { shouldValidate: true, shouldTouch: true, shouldDirty: true })}
            />
            <FormTextField
              control={control}
              name="percentage"
              label="Percentage"
              required
              autoComplete="off"
              helperText={`Share of every load, up to ${formatPercent(allocation.unallocated)}, two decimals at most`}
              slotProps={{ htmlInput: { inputMode: 'decimal' }, input: { endAdornment: <span aria-hidden="true">%</span> } }}
            />
            <FormTextField
              control={control}
              name="attr_set_token"
              label="Attribute set token"
              autoComplete="off"
              helperText="Optional: a stored attribute set for the payer"
              slotProps={{ htmlInput: { spellCheck: false } }}
            />
            <Controller
              name="reason"
              control={control}
              render={({ field, fieldState }) => <ReasonField {...field} mode={reasonMode} error={fieldState.error?.message} />}
            />
          </Stack>
          <ApprovalNote
            rules={rules}
            change={
              destinationToken.trim()
                ? { action: 'add_rule', destinationToken: destinationToken.trim(), percentage: Number(typedPercentage.trim()) || 0 }
                : undefined
            }
          />
          {formError && (
            <Alert severity="error" role="alert" sx={{ mt: 2 }}>
              {formError}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
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

export default AddRuleDialog;
