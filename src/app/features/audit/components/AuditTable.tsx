import Box from '@mui/material/Box';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import type { AuditEntry } from '../../../../api';
import { LoadingTable, type TableColumn } from '../../../components/LoadingTable';
import { StatusText } from '../../../components/StatusText';
import { TokenText } from '../../../components/TokenText';
import { formatPercent } from '../../../lib/format';
import { auditActionLabel, auditEntryOutcome, formatAuditTime, subjectTokenLabel } from '../audit-labels';

const COLUMNS: readonly TableColumn[] = [
  'Time',
  'Staff',
  'Action',
  'Outcome',
  'User',
  'Wallet',
  'Destination',
  { name: 'Percentage', align: 'right' },
  'Rule',
  'Reason',
  'Change',
  { name: 'MassPay status', align: 'right' },
  'Request id',
];

const None = () => (
  <Box component="span" sx={{ color: 'text.secondary' }}>
    —
  </Box>
);

const AuditRow = ({ entry }: { entry: AuditEntry }) => {
  const outcome = auditEntryOutcome(entry);
  return (
    <TableRow hover>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>
        <time dateTime={entry.at} title={entry.at}>
          {formatAuditTime(entry.at)}
        </time>
      </TableCell>
      <TableCell>
        {entry.staffEmail}
        <Box component="span" sx={{ display: 'block', color: 'text.secondary' }}>
          {entry.staffRole}
        </Box>
      </TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>{auditActionLabel(entry.action)}</TableCell>
      <TableCell>
        <StatusText label={outcome.label} tone={outcome.tone} />
      </TableCell>
      <TableCell>
        <TokenText token={entry.userToken} label="User" />
      </TableCell>
      {/* A caller check concerns no wallet. */}
      <TableCell>{entry.walletToken ? <TokenText token={entry.walletToken} label="Wallet" /> : <None />}</TableCell>
      <TableCell>{entry.destinationToken ? <TokenText token={entry.destinationToken} label="Destination" /> : <None />}</TableCell>
      <TableCell align="right">{entry.percentage === null ? <None /> : formatPercent(entry.percentage)}</TableCell>
      <TableCell>{entry.ruleToken ? <TokenText token={entry.ruleToken} label={subjectTokenLabel(entry.action)} /> : <None />}</TableCell>
      {/* The staff member's own words: wrapped, never cut. */}
      <TableCell sx={{ minWidth: 160, maxWidth: 320, overflowWrap: 'anywhere' }}>{entry.reason ? entry.reason : <None />}</TableCell>
      {/* A percentage change's steps share it. */}
      <TableCell>{entry.changeId ? <TokenText token={entry.changeId} label="Change" /> : <None />}</TableCell>
      <TableCell align="right">{entry.masspayStatus ?? <None />}</TableCell>
      <TableCell sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>{entry.requestId}</TableCell>
    </TableRow>
  );
};

/** A page of the audit log, newest first; skeleton rows until the first answer. */
export const AuditTable = ({ entries, refreshing }: { entries: AuditEntry[] | undefined; refreshing: boolean }) => (
  <LoadingTable
    label="Audit log"
    loadingLabel="Loading audit entries"
    columns={COLUMNS}
    rows={entries?.map((entry) => (
      <AuditRow key={entry.id} entry={entry} />
    ))}
    skeletonRows={5}
    refreshing={refreshing}
    // Wider than a narrow window: it scrolls sideways, so the keyboard must reach it even while it holds no link yet.
    containerProps={{ tabIndex: 0, role: 'region', 'aria-label': 'Audit log entries' }}
  />
);
