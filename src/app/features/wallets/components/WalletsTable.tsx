import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { useQueryClient } from '@tanstack/react-query';
import { Link as RouterLink } from 'react-router';
import type { BrowserWallet } from '../../../../api';
import { StatusText } from '../../../components/StatusText';
import { formatMoney, formatPercent } from '../../../lib/format';
import { allocationOf } from '../../autopay/allocation';
import { autopayRulesQueryOptions, useAutopayRules } from '../../autopay/api/get-autopay-rules';
import { walletLabel, walletTypeLabel } from '../wallet-label';

/** A wallet's allocation, from its rules (fetched per row; the same cache serves the wallet page). */
const WalletAllocation = ({ userToken, walletToken }: { userToken: string; walletToken: string }) => {
  const rules = useAutopayRules(userToken, walletToken);
  if (rules.data) return <>{formatPercent(allocationOf(rules.data).allocated)}</>;
  return rules.isError ? <>—</> : <Skeleton width={40} sx={{ ml: 'auto' }} />;
};

const COLUMNS = ['Wallet', 'Type', 'Card', 'Balance', 'Status', 'Fees paid by', 'Allocation'];

/** Every wallet of a user; each row opens the wallet, and pointing at it loads what that page shows. */
export const WalletsTable = ({ userToken, wallets }: { userToken: string; wallets: BrowserWallet[] }) => {
  const queryClient = useQueryClient();

  const prefetch = (wallet: BrowserWallet) => {
    void Promise.all([queryClient.fetchQuery(autopayRulesQueryOptions(userToken, wallet.token)), import('../../catalog/api/get-service')]).then(
      ([list, { serviceQueryOptions }]) => list.forEach((rule) => void queryClient.prefetchQuery(serviceQueryOptions(rule.destination_token))),
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
          {wallets.map((wallet) => {
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
                  <WalletAllocation userToken={userToken} walletToken={wallet.token} />
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
  <Paper variant="outlined" sx={{ p: 2 }} aria-busy="true" role="progressbar" aria-label="Loading wallets">
    {[0, 1, 2].map((i) => (
      <Skeleton key={i} height={36} />
    ))}
  </Paper>
);
