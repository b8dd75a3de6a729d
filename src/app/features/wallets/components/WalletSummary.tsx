import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { BrowserWallet } from '../../../../api';
import { StatusText } from '../../../components/StatusText';
import { TokenText } from '../../../components/TokenText';
import { formatMoney } from '../../../lib/format';
import { walletTypeLabel } from '../wallet-label';
import { Fact } from '../../../components/Fact';

/** Balance, type, card facts, status and who pays the fees. */
export const WalletSummary = ({ wallet }: { wallet: BrowserWallet }) => (
  <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
    <Stack direction="row" spacing={4} useFlexGap sx={{ flexWrap: 'wrap' }}>
      <Fact label="Balance">
        <Typography variant="h5" component="span">
          {formatMoney(wallet.balance, wallet.currency_code)}
        </Typography>
      </Fact>
      <Fact label="Type">{walletTypeLabel(wallet)}</Fact>
      {wallet.card_type && <Fact label="Card">{`${wallet.card_type} ••${wallet.last_4 ?? ''}`}</Fact>}
      <Fact label="Status">
        <StatusText label={wallet.active ? 'Active' : 'Inactive'} tone={wallet.active ? 'success' : 'neutral'} />
      </Fact>
      <Fact label="Fees paid by">{wallet.client_paying_fees === undefined ? '—' : wallet.client_paying_fees ? 'Payor' : 'Payee'}</Fact>
      <Fact label="Wallet token">
        <TokenText token={wallet.token} label="Wallet" />
      </Fact>
    </Stack>
  </Paper>
);
