import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import { Link as RouterLink } from 'react-router';
import { LoadingTable, type TableColumn } from '../../../components/LoadingTable';
import type { BulkRow } from '../../../../api';
import { LazyTooltip } from '../../../components/LazyTooltip';
import { StatusText } from '../../../components/StatusText';
import { formatPercent, shortToken } from '../../../lib/format';
import { DestinationName } from '../../catalog/components/DestinationName';
import { ACTIONS, OUTCOMES, VERDICTS } from '../bulk-labels';

const Muted = ({ children }: { children: React.ReactNode }) => (
  <Box component="span" sx={{ display: 'block', color: 'text.secondary' }}>
    {children}
  </Box>
);

const Mono = ({ children }: { children: React.ReactNode }) => (
  <Box component="span" sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
    {children}
  </Box>
);

/** The row's user as the file named it (internal ID or token), a link to the user once resolved. */
const UserCell = ({ row }: { row: BulkRow }) => {
  const given = row.input.internal_user_id ?? shortToken(row.input.user_token ?? '');
  if (!row.userToken) return <Mono>{given}</Mono>;
  return (
    <LazyTooltip title={row.userToken} describeChild>
      <Link component={RouterLink} to={`/users/${row.userToken}`}>
        <Mono>{given}</Mono>
      </Link>
    </LazyTooltip>
  );
};

/** The wallet the row resolved to (a link to it), or what the file gave (its token or currency). */
const WalletCell = ({ row }: { row: BulkRow }) => {
  if (row.userToken && row.walletToken) {
    return (
      <LazyTooltip title={row.walletToken} describeChild>
        <Link component={RouterLink} to={`/users/${row.userToken}/wallets/${row.walletToken}`}>
          <Mono>{shortToken(row.walletToken)}</Mono>
        </Link>
      </LazyTooltip>
    );
  }
  return <Mono>{row.input.wallet_token ? shortToken(row.input.wallet_token) : (row.input.currency ?? '')}</Mono>;
};

export interface BulkRowsTableProps {
  rows: BulkRow[] | undefined;
  refreshing?: boolean;
  /** The job has run (or runs): each row's outcome is shown. */
  showOutcome: boolean;
}

/** The dry run, one row per CSV row: its line's values, the verdict and why, and once run its outcome and rule. */
export const BulkRowsTable = ({ rows, refreshing = false, showOutcome }: BulkRowsTableProps) => {
  const columns: TableColumn[] = [
    { name: 'Line', align: 'right' },
    'User',
    'Wallet',
    'Action',
    'Destination',
    { name: 'Percentage', align: 'right' },
    'Verdict',
    'Reason',
    ...(showOutcome ? ['Outcome'] : []),
  ];
  return (
    <LoadingTable
      label="Dry run"
      loadingLabel="Loading rows"
      columns={columns}
      rows={rows?.map((row) => {
        const verdict = row.verdict ? VERDICTS[row.verdict] : undefined;
        const outcome = row.outcome ? OUTCOMES[row.outcome] : undefined;
        return (
          <TableRow key={row.line}>
            <TableCell align="right">{row.line}</TableCell>
            <TableCell>
              <UserCell row={row} />
            </TableCell>
            <TableCell>
              <WalletCell row={row} />
            </TableCell>
            <TableCell>{ACTIONS[row.input.action]}</TableCell>
            <TableCell sx={{ minWidth: 180 }}>
              <DestinationName token={row.input.destination_token} />
            </TableCell>
            <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
              {row.input.percentage === undefined ? '' : formatPercent(row.input.percentage)}
            </TableCell>
            <TableCell>{verdict ? <StatusText label={verdict.label} tone={verdict.tone} /> : <Muted>Not checked</Muted>}</TableCell>
            <TableCell sx={{ minWidth: 180, maxWidth: 360, overflowWrap: 'anywhere' }}>{row.reason}</TableCell>
            {showOutcome && (
              <TableCell sx={{ minWidth: 160, maxWidth: 360, overflowWrap: 'anywhere' }}>
                {outcome ? <StatusText label={outcome.label} tone={outcome.tone} /> : row.verdict === 'change' ? <Muted>Not yet</Muted> : null}
                {row.outcomeReason && <Muted>{row.outcomeReason}</Muted>}
                {row.ruleToken && (
                  <Muted>
                    Rule <Mono>{shortToken(row.ruleToken)}</Mono>
                  </Muted>
                )}
              </TableCell>
            )}
          </TableRow>
        );
      })}
      skeletonRows={3}
      refreshing={refreshing}
    />
  );
};
