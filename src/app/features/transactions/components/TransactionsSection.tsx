import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import { LoadingTable } from '../../../components/LoadingTable';
import { UrlSelectField } from '../../../components/UrlSelectField';
import { OutlinedTextField } from '../../../components/OutlinedTextField';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import type { BrowserTxn } from '../../../../api';
import { ErrorState } from '../../../components/LazyErrorState';
import { StatusText } from '../../../components/StatusText';
import { formatMoney } from '../../../lib/format';
import { transactionsQueryOptions, useTransactions } from '../api/get-transactions';
import { RulesAtButton } from '../../history/components/RulesAtButton';
import { PickupCode } from './PickupCode';
import { formatLocalDateTime, transactionStatusLabel, transactionStatusTone, transactionTypeLabel } from '../transaction-labels';
import { MAX_PAGE } from '../../../lib/url-view';
import { useSearchParamsState } from '../../../lib/use-search-params-state';
import { PAGE_SIZES, readView, TX_PARAMS, TYPE_OPTIONS, writeView } from '../view-params';

export interface TransactionsSectionProps {
  userToken: string;
  walletToken: string;
}

const TransactionRow = ({ txn, userToken, walletToken, pickupColumn }: { txn: BrowserTxn; userToken: string; walletToken: string; pickupColumn: boolean }) => (
  <TableRow hover>
    <TableCell>{transactionTypeLabel(txn.type)}</TableCell>
    <TableCell sx={{ whiteSpace: 'nowrap' }}>
      <time dateTime={txn.time_of_txn}>{formatLocalDateTime(txn.time_of_txn)}</time>
    </TableCell>
    <TableCell align="right">{formatMoney(txn.source_amount, txn.source_currency_code)}</TableCell>
    <TableCell align="right">{formatMoney(txn.destination_amount, txn.destination_currency_code)}</TableCell>
    <TableCell align="right">{formatMoney(txn.fee, txn.source_currency_code)}</TableCell>
    <TableCell>
      <StatusText label={transactionStatusLabel(txn.status)} tone={transactionStatusTone(txn.status)} />
    </TableCell>
    <TableCell>{txn.payer_name ?? '—'}</TableCell>
    {pickupColumn && <TableCell>{txn.pickup_code === undefined ? '—' : <PickupCode userToken={userToken} walletToken={walletToken} txn={txn} />}</TableCell>}
    <TableCell>{txn.type === 'payout' ? <RulesAtButton userToken={userToken} walletToken={walletToken} at={txn.time_of_txn} /> : null}</TableCell>
  </TableRow>
);

/**
 * A wallet's transactions (#10 with `wallet_token`), newest first: filtered by type and date range,
 * paged. MassPay gives no total, so the next page is fetched ahead: Next is enabled only while
 * there is something to go to, and going there is instant. The whole view lives in the URL.
 */
const TransactionsSection = ({ userToken, walletToken }: TransactionsSectionProps) => {
  const [params, setParams] = useSearchParamsState();
  const { view, rangeError } = readView(params);
  const transactions = useTransactions(userToken, walletToken, view, { enabled: !rangeError });
  const rows = transactions.data;
  const settled = rows !== undefined && !transactions.isPlaceholderData;
  const full = settled && rows.length === view.size && view.page < MAX_PAGE;
  const nextPage = useQuery({ ...transactionsQueryOptions(userToken, walletToken, { ...view, page: view.page + 1 }), enabled: full && !rangeError });
  const hasNext = full && nextPage.data?.length !== 0;
  const filtered = Boolean(view.type || view.from || view.to);
  // Cash pickups only: a page without one has no column for their codes.
  const pickupColumn = rows?.some((txn) => txn.pickup_code !== undefined) ?? false;

  const update = (change: Parameters<typeof writeView>[1], { replace = true } = {}) => setParams((current) => writeView(current, change), { replace });

  const first = (view.page - 1) * view.size + 1;
  const position = settled && rows.length > 0 ? `Page ${view.page} · rows ${first}–${first + rows.length - 1}` : `Page ${view.page}`;

  let body: React.ReactNode;
  if (rangeError) {
    body = <Typography color="text.secondary">Fix the date range to see transactions.</Typography>;
  } else if (transactions.isError) {
    body = <ErrorState error={transactions.error} title="Could not load the transactions" onRetry={() => void transactions.refetch()} />;
  } else if (settled && rows.length === 0) {
    body = (
      <Paper variant="outlined" sx={{ p: 3 }}>
        <Typography>No transactions</Typography>
        <Typography color="text.secondary">
          {view.page > 1 ? `There are none on page ${view.page}.` : filtered ? 'None match these filters.' : 'This wallet has no transactions yet.'}
        </Typography>
      </Paper>
    );
  } else {
    body = (
      <LoadingTable
        label="Transactions"
        loadingLabel="Loading transactions"
        columns={[
          'Type',
          'Time',
          { name: 'Amount', align: 'right' },
          { name: 'Received', align: 'right' },
          { name: 'Fee', align: 'right' },
          'Status',
          'Payer',
          ...(pickupColumn ? ['Pickup code'] : []),
          'Rules then',
        ]}
        rows={rows?.map((txn) => (
          <TransactionRow key={txn.token} txn={txn} userToken={userToken} walletToken={walletToken} pickupColumn={pickupColumn} />
        ))}
        refreshing={transactions.isPlaceholderData}
      />
    );
  }

  return (
    <>
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'flex-start', mb: 2 }}>
        <UrlSelectField label="Type" size="small" value={view.type ?? ''} onPick={(type) => update({ type })} sx={{ minWidth: 150 }}>
          {TYPE_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </UrlSelectField>
        <OutlinedTextField
          type="date"
          label="From"
          size="small"
          value={view.from ?? ''}
          onChange={(event) => update({ from: event.target.value })}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <OutlinedTextField
          type="date"
          label="To"
          size="small"
          value={view.to ?? ''}
          onChange={(event) => update({ to: event.target.value })}
          error={Boolean(rangeError)}
          helperText={rangeError}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        {(filtered || params.has(TX_PARAMS.from) || params.has(TX_PARAMS.to)) && (
          <Button onClick={() => update({ type: undefined, from: undefined, to: undefined })} sx={{ alignSelf: 'center' }}>
            Clear filters
          </Button>
        )}
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        Newest first. Dates are filtered by their UTC day, as MassPay does; times show in your time zone.
      </Typography>

      {body}

      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center', justifyContent: 'flex-end', mt: 1.5 }}>
        <UrlSelectField label="Rows per page" size="small" value={String(view.size)} onPick={(size) => update({ size })} sx={{ minWidth: 120 }}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </UrlSelectField>
        <Typography variant="body2" aria-live="polite" sx={{ minWidth: 150, textAlign: 'center' }}>
          {position}
        </Typography>
        <Button variant="outlined" disabled={view.page <= 1} onClick={() => update({ page: view.page - 1 }, { replace: false })}>
          Previous
        </Button>
        <Button variant="outlined" disabled={!hasNext} onClick={() => update({ page: view.page + 1 }, { replace: false })}>
          Next
        </Button>
      </Stack>
    </>
  );
};

export default TransactionsSection;
