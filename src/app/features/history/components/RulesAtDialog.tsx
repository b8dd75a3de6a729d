import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { describeError } from '../../../lib/api-error';
import { formatPercent } from '../../../lib/format';
import { DestinationName } from '../../catalog/components/DestinationName';
import { formatLocalDateTime } from '../../transactions/transaction-labels';
import { useRulesAt } from '../api/wallet-history';

export interface RulesAtDialogProps {
  userToken: string;
  walletToken: string;
  /** The payout's time (MassPay's `time_of_txn`). */
  at: string;
  onClose: () => void;
}

/**
 * The autopay rules the console knows were in force when a payout left: today's rules with every change
 * the console made since undone — or, when its records begin after that moment, that it cannot tell.
 */
const RulesAtDialog = ({ userToken, walletToken, at, onClose }: RulesAtDialogProps) => {
  const rulesAt = useRulesAt(userToken, walletToken, at);
  const data = rulesAt.data;
  return (
    <Dialog open onClose={onClose} aria-labelledby="rules-at-title" fullWidth maxWidth="sm">
      <DialogTitle id="rules-at-title">Rules at this payout</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          The autopay rules of this wallet on {formatLocalDateTime(at)}, from the changes the console has recorded.
        </DialogContentText>
        {rulesAt.isError ? (
          <Alert severity="error" role="alert">
            The rules at that time could not be read. {describeError(rulesAt.error)}
          </Alert>
        ) : !data ? (
          <Skeleton height={72} role="progressbar" aria-label="Loading the rules at that time" />
        ) : !data.known || !data.rules ? (
          <Alert severity="info" role="note">
            The console has no record from before {data.recordsSince ? formatLocalDateTime(data.recordsSince) : 'this date'}: it cannot tell which rules were in
            force then.
          </Alert>
        ) : (
          <>
            {data.rules.length === 0 ? (
              <Typography>No autopay rules: every load stayed in the wallet.</Typography>
            ) : (
              <Box component="ul" aria-label="Rules in force" sx={{ m: 0, pl: 2.5 }}>
                {data.rules.map((rule) => (
                  <li key={rule.token}>
                    {formatPercent(rule.percentage)} to <DestinationName token={rule.destination_token} />
                  </li>
                ))}
              </Box>
            )}
            {data.uncertain && (
              <Alert severity="warning" role="note" sx={{ mt: 2 }}>
                Not certain: a change since then had an unknown outcome, or was made outside the console.
              </Alert>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} autoFocus>
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
};

export default RulesAtDialog;
