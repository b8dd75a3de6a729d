import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { PROBLEM_TYPES, staleApprovalSchema, type AutopayRule, type ChangeRequest } from '../../../../api';
import { useAnnounce } from '../../../components/StatusRegion';
import { isProblem } from '../../../lib/api-error';
import { formatPercent } from '../../../lib/format';
import { DestinationName } from '../../catalog/components/DestinationName';
import { useDecideChangeRequest } from '../api/change-requests';
import { changeSummary } from '../request-labels';
import { DecisionActions, DecisionCommentField, DecisionFailure, isCommentTooLong } from './DecisionParts';

export interface DecisionDialogProps {
  request: ChangeRequest;
  decision: 'approve' | 'reject';
  onClose: () => void;
}

/** The wallet's rules as a short list; "No rules" when it held none. */
const RuleList = ({ rules, title }: { rules: readonly AutopayRule[]; title: string }) => (
  <Box sx={{ flex: 1 }}>
    <Typography variant="subtitle2" component="h3">
      {title}
    </Typography>
    {rules.length === 0 ? (
      <Typography color="text.secondary">No rules</Typography>
    ) : (
      <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
        {rules.map((rule) => (
          <li key={rule.token}>
            {formatPercent(rule.percentage)} to <DestinationName token={rule.destination_token} />
          </li>
        ))}
      </Box>
    )}
  </Box>
);

/** What the status message says once a decision is in. */
const decidedText = (answer: ChangeRequest): string => {
  if (answer.status === 'applied') return 'Change approved and applied';
  if (answer.status === 'failed') return `Change approved, but it could not be made: ${answer.resultDetail ?? 'no reason given'}`;
  if (answer.status === 'approved') return `Change approved, not finished yet. ${answer.resultDetail ?? ''}`.trim();
  if (answer.status === 'rejected') return 'Change request rejected';
  return `Change request ${answer.status}`;
};

/**
 * Approve or reject a change request, with an optional comment. If the wallet's rules changed since the
 * request, the server refuses the approval (409) with both lists: they are shown side by side, and
 * approving again confirms the change on the rules as they are now.
 */
const DecisionDialog = ({ request, decision, onClose }: DecisionDialogProps) => {
  const announce = useAnnounce();
  const mutation = useDecideChangeRequest();
  const [comment, setComment] = useState('');
  const [stale, setStale] = useState<{ rulesAtRequest: AutopayRule[]; rulesNow: AutopayRule[]; rulesFingerprint: string }>();
  const approving = decision === 'approve';
  const verb = approving ? 'Approve' : 'Reject';
  const tooLong = isCommentTooLong(comment);

  const send = () => {
    if (tooLong) return;
    mutation.mutate(
      { request, decision, comment, confirmRulesFingerprint: stale?.rulesFingerprint },
      {
        onSuccess: (answer) => {
          announce(decidedText(answer));
          onClose();
        },
        onError: (error) => {
          if (!isProblem(error, PROBLEM_TYPES.staleApproval)) return;
          const parsed = staleApprovalSchema.safeParse(error.body);
          if (parsed.success) setStale(parsed.data);
        },
      },
    );
  };

  const failure = mutation.isError && !isProblem(mutation.error, PROBLEM_TYPES.staleApproval) ? mutation.error : undefined;
  return (
    <Dialog open onClose={() => !mutation.isPending && onClose()} aria-labelledby="decision-title" aria-describedby="decision-text" fullWidth maxWidth="sm">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <DialogTitle id="decision-title">{verb} change request</DialogTitle>
        <DialogContent>
          <DialogContentText id="decision-text" component="div" sx={{ mb: 2 }}>
            {changeSummary(request)} to <DestinationName token={request.destinationToken} />, asked for by {request.requestedBy}
            {request.reason ? `: “${request.reason}”` : '.'}
          </DialogContentText>
          {stale && (
            <Alert severity="warning" role="alert" sx={{ mb: 2 }}>
              The wallet&apos;s rules changed since this change was asked for. Compare them; approve again to make the change on the rules as they are now.
              <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mt: 1.5 }}>
                <RuleList title="When requested" rules={stale.rulesAtRequest} />
                <RuleList title="Now" rules={stale.rulesNow} />
              </Stack>
            </Alert>
          )}
          <DecisionCommentField comment={comment} onChange={setComment} />
          <DecisionFailure approving={approving} failure={failure} />
        </DialogContent>
        <DecisionActions approving={approving} pending={mutation.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
};

export default DecisionDialog;
