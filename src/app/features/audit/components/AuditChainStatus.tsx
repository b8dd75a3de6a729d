import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { AuditChainStatus as ChainStatus } from '../../../../api';
import { TokenText } from '../../../components/TokenText';
import { formatAuditTime } from '../audit-labels';

const count = new Intl.NumberFormat('en-US');
const entries = (n: number) => `${count.format(n)} ${n === 1 ? 'entry' : 'entries'}`;

/**
 * The audit log's hash chain as the server last checked it (over the whole log, whatever the
 * filters): a quiet status line when every entry matches, with the newest entry's hash to note for a
 * later check; an alert naming the first entry that does not match when the log was changed behind
 * the console's back.
 */
export const AuditChainStatus = ({ chain }: { chain: ChainStatus }) => {
  const checkedAt = formatAuditTime(chain.checkedAt);
  if (chain.verified) {
    return (
      <Box sx={{ mb: 2 }}>
        <Alert severity="success" variant="outlined" role="status">
          {`Audit chain verified: ${entries(chain.checkedEntries)}. Last checked ${checkedAt}.`}
        </Alert>
        {chain.headId !== undefined && chain.headHash !== undefined && (
          <Typography variant="body2" color="text.secondary" component="div" sx={{ mt: 0.5 }}>
            Newest entry and its hash: <TokenText token={`${chain.headId}:${chain.headHash}`} label="Chain head" /> — noted now, it lets a later{' '}
            <code>npm run audit:verify -- --anchor</code> show that the log was not rewritten up to it.
          </Typography>
        )}
      </Box>
    );
  }
  const where = chain.brokenAt === undefined ? '' : ` at entry ${chain.brokenAt}`;
  return (
    <Alert severity="error" role="alert" sx={{ mb: 2 }}>
      <AlertTitle>{`The audit log was tampered with${where}`}</AlertTitle>
      {chain.detail ?? 'An entry was changed, removed or added outside the console.'} Checked {entries(chain.checkedEntries)} at {checkedAt}. The log may no
      longer be the one the console wrote: tell whoever runs the console.
    </Alert>
  );
};
