import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { Link as RouterLink } from 'react-router';
import { LoadingTable } from '../../../components/LoadingTable';
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
  <LoadingTable
    label="Wallets"
    loadingLabel="Loading wallets"
    columns={COLUMNS}
    rows={wallets?.map((wallet) => (
      <TableRow key={wallet.walletToken} sx={{ verticalAlign: 'top' }}>
        <TableCell>
          <LazyTooltip title={wallet.walletToken} describeChild>
            <Link component={RouterLink} to={`/users/${wallet.userToken}/wallets/${wallet.walletToken}`} sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
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
    ))}
    skeletonRows={2}
    refreshing={refreshing}
  />
);
