import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { LoadingTable } from '../../../components/LoadingTable';
import { can, type WalletHistoryEntry } from '../../../../api';
import { ErrorState } from '../../../components/LazyErrorState';
import { StatusText } from '../../../components/StatusText';
import { formatPercent } from '../../../lib/format';
import { auditActionLabel, auditEntryOutcome, formatAuditTime, showingText } from '../../audit/audit-labels';
import { DestinationName } from '../../catalog/components/DestinationName';
import { useSession } from '../../session/api/get-session';
import { useWalletHistory } from '../api/wallet-history';

const Muted = ({ children }: { children: React.ReactNode }) => (
  <Box component="span" sx={{ display: 'block', color: 'text.secondary' }}>
    {children}
  </Box>
);

const HistoryRow = ({ entry }: { entry: WalletHistoryEntry }) => {
  const outcome = auditEntryOutcome(entry);
  return (
    <TableRow>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>
        <time dateTime={entry.at}>{formatAuditTime(entry.at)}</time>
      </TableCell>
      <TableCell>
        {entry.staffName ?? entry.staffEmail}
        <Muted>{entry.staffName ? entry.staffEmail : entry.staffRole}</Muted>
      </TableCell>
      <TableCell sx={{ minWidth: 180 }}>
        {auditActionLabel(entry.action)}
        {entry.percentage !== null && ` · ${formatPercent(entry.percentage)}`}
        {entry.destinationToken && (
          <Muted>
            <DestinationName token={entry.destinationToken} />
          </Muted>
        )}
      </TableCell>
      <TableCell>
        <StatusText label={outcome.label} tone={outcome.tone} />
      </TableCell>
      <TableCell sx={{ minWidth: 140, maxWidth: 320, overflowWrap: 'anywhere' }}>{entry.reason ?? <Muted>—</Muted>}</TableCell>
    </TableRow>
  );
};

/**
 * The wallet's history (every role): each change the console made or tried on it — asked for, approved,
 * made, refused — newest first, paged, with who and why. Admins may open the same in the audit log.
 */
const ChangeHistory = ({ userToken, walletToken }: { userToken: string; walletToken: string }) => {
  const staff = useSession().data;
  const [page, setPage] = useState(1);
  const history = useWalletHistory(userToken, walletToken, page);
  const data = history.data;
  const settled = data !== undefined && !history.isPlaceholderData;
  const lastPage = data ? Math.max(1, Math.ceil(data.total / data.limit)) : 1;

  if (history.isError) return <ErrorState error={history.error} title="Could not load the change history" onRetry={() => void history.refetch()} />;
  return (
    <>
      {staff && can(staff.role, 'readAudit') && (
        <Link component={RouterLink} to={`/audit?wallet=${encodeURIComponent(walletToken)}`} sx={{ display: 'inline-block', mb: 1 }}>
          This wallet in the audit log
        </Link>
      )}
      {settled && data.entries.length === 0 ? (
        <Paper variant="outlined" sx={{ p: 3 }}>
          <Typography>No changes yet</Typography>
          <Typography color="text.secondary">No rule of this wallet has been changed through the console.</Typography>
        </Paper>
      ) : (
        <LoadingTable
          label="Changes to this wallet"
          loadingLabel="Loading change history"
          columns={['Time', 'Staff', 'Change', 'Outcome', 'Reason']}
          rows={data?.entries.map((entry) => (
            <HistoryRow key={entry.id} entry={entry} />
          ))}
          refreshing={history.isPlaceholderData}
        />
      )}
      {data && data.total > data.limit && (
        <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center', justifyContent: 'flex-end', mt: 1.5 }}>
          <Typography variant="body2" aria-live="polite">
            {settled ? showingText(page, data.limit, data.entries.length, data.total) : ' '}
          </Typography>
          <Button variant="outlined" size="small" disabled={page <= 1} onClick={() => setPage((p) => Math.max(1, p - 1))}>
            Newer changes
          </Button>
          <Button variant="outlined" size="small" disabled={!settled || page >= lastPage} onClick={() => setPage((p) => p + 1)}>
            Older changes
          </Button>
        </Stack>
      )}
    </>
  );
};

export default ChangeHistory;
