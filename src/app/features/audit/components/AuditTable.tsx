import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import type { AuditEntry } from '../../../../api';
import { StatusText } from '../../../components/StatusText';
import { TokenText } from '../../../components/TokenText';
import { formatPercent } from '../../../lib/format';
import { auditActionLabel, auditEntryOutcome, formatAuditTime, subjectTokenLabel } from '../audit-labels';

const COLUMNS = [
  'Time',
  'Staff',
  'Action',
  'Outcome',
  'User',
  'Wallet',
  'Destination',
  'Percentage',
  'Rule',
  'Reason',
  'Change',
  'MassPay status',
  'Request id',
] as const;

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
  // Wider than a narrow window: it scrolls sideways, so the keyboard must reach it even while it holds no link yet.
  <TableContainer component={Paper} variant="outlined" sx={{ position: 'relative' }} tabIndex={0} role="region" aria-label="Audit log entries">
    {refreshing && <LinearProgress aria-label="Loading audit entries" sx={{ position: 'absolute', top: 0, left: 0, right: 0 }} />}
    <Table aria-label="Audit log" aria-busy={!entries || refreshing} size="small" sx={{ opacity: refreshing ? 0.6 : 1 }}>
      <TableHead>
        <TableRow>
          {COLUMNS.map((column) => (
            <TableCell key={column} align={column === 'Percentage' || column === 'MassPay status' ? 'right' : undefined} sx={{ whiteSpace: 'nowrap' }}>
              {column}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {entries
          ? entries.map((entry) => <AuditRow key={entry.id} entry={entry} />)
          : Array.from({ length: 5 }, (_, i) => (
              <TableRow key={i}>
                <TableCell colSpan={COLUMNS.length}>
                  <Skeleton height={28} {...(i === 0 ? { role: 'progressbar', 'aria-label': 'Loading audit entries' } : {})} />
                </TableCell>
              </TableRow>
            ))}
      </TableBody>
    </Table>
  </TableContainer>
);
