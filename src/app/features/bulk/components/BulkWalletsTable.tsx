import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { Link as RouterLink } from 'react-router';
import type { AutopayRule, BulkWallet } from '../../../../api';
import { LazyTooltip } from '../../../components/LazyTooltip';
import { formatPercent, shortToken } from '../../../lib/format';
import { DestinationName } from '../../catalog/components/DestinationName';

const COLUMNS = ['Wallet', 'Currency', 'Rules now', 'Rules after'];

const total = (rules: readonly AutopayRule[]) => Math.round(rules.reduce((sum, rule) => sum + rule.percentage, 0) * 100) / 100;

/** A wallet's rules as a short list with their total; "No rules" when it holds none. */
const RuleList = ({ rules }: { rules: readonly AutopayRule[] }) =>
  rules.length === 0 ? (
    <Typography variant="body2" color="text.secondary">
      No rules
    </Typography>
  ) : (
    <>
      <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
        {rules.map((rule) => (
          <li key={rule.destination_token}>
            {formatPercent(rule.percentage)} to <DestinationName token={rule.destination_token} />
          </li>
        ))}
      </Box>
      <Typography variant="body2" color="text.secondary">
        {formatPercent(total(rules))} allocated
      </Typography>
    </>
  );

/** Each wallet the job touches: its rules at the dry run and what they become once every change row of it is applied. */
export const BulkWalletsTable = ({ wallets, refreshing = false }: { wallets: BulkWallet[] | undefined; refreshing?: boolean }) => (
  <TableContainer component={Paper} variant="outlined" sx={{ position: 'relative' }}>
    {refreshing && <LinearProgress aria-label="Loading wallets" sx={{ position: 'absolute', top: 0, left: 0, right: 0 }} />}
    <Table aria-label="Wallets" aria-busy={!wallets || refreshing} size="small" sx={{ opacity: refreshing ? 0.6 : 1 }}>
      <TableHead>
        <TableRow>
          {COLUMNS.map((column) => (
            <TableCell key={column} sx={{ whiteSpace: 'nowrap' }}>
              {column}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {wallets
          ? wallets.map((wallet) => (
              <TableRow key={wallet.walletToken} sx={{ verticalAlign: 'top' }}>
                <TableCell>
                  <LazyTooltip title={wallet.walletToken} describeChild>
                    <Link
                      component={RouterLink}
                      to={`/users/${wallet.userToken}/wallets/${wallet.walletToken}`}
                      sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}
                    >
                      {shortToken(wallet.walletToken)}
                    </Link>
                  </LazyTooltip>
                </TableCell>
                <TableCell>{wallet.currency}</TableCell>
                <TableCell sx={{ minWidth: 220 }}>
                  <RuleList rules={wallet.rulesBefore} />
                </TableCell>
                <TableCell sx={{ minWidth: 220 }}>
                  <RuleList rules={wallet.rulesAfter} />
                </TableCell>
              </TableRow>
            ))
          : Array.from({ length: 2 }, (_, i) => (
              <TableRow key={i}>
                <TableCell colSpan={COLUMNS.length}>
                  <Skeleton height={28} {...(i === 0 ? { role: 'progressbar', 'aria-label': 'Loading wallets' } : {})} />
                </TableCell>
              </TableRow>
            ))}
      </TableBody>
    </Table>
  </TableContainer>
);
