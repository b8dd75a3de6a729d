import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { Link as RouterLink } from 'react-router';
import type { Wallet } from '../../../../api';
import { StatusText } from '../../../components/StatusText';
import { formatMoney, formatPercent } from '../../../lib/format';
import { allocationOf } from '../../autopay/allocation';
import { autopayRulesQueryOptions } from '../../autopay/api/get-autopay-rules';
import { serviceQueryOptions } from '../../catalog/api/get-service';
import { walletLabel, walletTypeLabel } from '../wallet-label';

const COLUMNS = ['Wallet', 'Type', 'Card', 'Balance', 'Status', 'Fees paid by', 'Allocation'];

/** Every wallet of a user; each row opens the wallet, and pointing at it loads what that page shows. */
export const WalletsTable = ({ userToken, wallets }: { userToken: string; wallets: Wallet[] }) => {
  const queryClient = useQueryClient();
  const rules = useQueries({ queries: wallets.map((w) => autopayRulesQueryOptions(userToken, w.token)) });

  const prefetch = (wallet: Wallet) => {
    void queryClient.fetchQuery(autopayRulesQueryOptions(userToken, wallet.token)).then(
      (list) => list.forEach((rule) => void queryClient.prefetchQuery(serviceQueryOptions(rule.destination_token))),
      () => undefined,
    );
  };

  return (
    <TableContainer component={Paper} variant="outlined">
      <Table aria-label="Wallets" size="small">
        <TableHead>
          <TableRow>
            {COLUMNS.map((c) => (
              <TableCell key={c} align={c === 'Balance' || c === 'Allocation' ? 'right' : 'left'}>
                {c}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {wallets.map((wallet, i) => {
            const walletRules = rules[i];
            return (
              <TableRow key={wallet.token} hover onMouseEnter={() => prefetch(wallet)} onFocus={() => prefetch(wallet)}>
                <TableCell>
                  <Link component={RouterLink} to={`/users/${userToken}/wallets/${wallet.token}`} sx={{ fontFamily: wallet.last_4 ? undefined : 'monospace' }}>
                    {walletLabel(wallet)}
                  </Link>
                </TableCell>
                <TableCell>{walletTypeLabel(wallet)}</TableCell>
                <TableCell>{wallet.card_type ? `${wallet.card_type} ••${wallet.last_4 ?? ''}` : '—'}</TableCell>
                <TableCell align="right">{formatMoney(wallet.balance, wallet.currency_code)}</TableCell>
                <TableCell>
                  <StatusText label={wallet.active ? 'Active' : 'Inactive'} tone={wallet.active ? 'success' : 'neutral'} />
                </TableCell>
                <TableCell>{wallet.client_paying_fees === undefined ? '—' : wallet.client_paying_fees ? 'Payor' : 'Payee'}</TableCell>
                <TableCell align="right">
                  {walletRules?.data ? formatPercent(allocationOf(walletRules.data).allocated) : walletRules?.isError ? '—' : <Skeleton width={40} sx={{ ml: 'auto' }} />}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
};

export const WalletsTableSkeleton = () => (
  <Paper variant="outlined" sx={{ p: 2 }} aria-busy="true" aria-label="Loading wallets">
    {[0, 1, 2].map((i) => (
      <Skeleton key={i} height={36} />
    ))}
  </Paper>
);
