import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { RedactedCard, BrowserWallet } from '../../../../api';
import { ErrorState } from '../../../components/LazyErrorState';
import { StatusText } from '../../../components/StatusText';
import { formatMoney } from '../../../lib/format';
import { useCard } from '../api/get-card';
import { Fact } from '../../../components/Fact';

export interface CardPanelProps {
  userToken: string;
  /** The card wallet as the wallet list (#1) gives it: its brand and last four are shown from here. */
  wallet: Pick<BrowserWallet, 'token' | 'currency_code' | 'card_type' | 'last_4'>;
}

/** MassPay's card statuses; one it adds later shows as itself. */
const STATUS: Partial<Record<RedactedCard['status'], { label: string; tone: 'success' | 'neutral' }>> = {
  ACTIVE: { label: 'Active', tone: 'success' },
  INACTIVE: { label: 'Inactive', tone: 'neutral' },
  CLOSED: { label: 'Closed', tone: 'neutral' },
};

/**
 * A card wallet's card. Brand and last four are the wallet list's (`card_type`, `last_4`); the card
 * route (#5) is read only for what the list does not say: the card's status (e.g. closed) and its
 * balance. The server never passes the card number, CVV, PIN or expiry on.
 */
const CardPanel = ({ userToken, wallet }: CardPanelProps) => {
  const card = useCard(userToken, wallet.token);

  if (card.isError) return <ErrorState error={card.error} title="Could not load the card" onRetry={() => void card.refetch()} />;
  if (!card.data) return <Skeleton variant="rounded" height={72} role="progressbar" aria-label="Loading card" />;

  const { balance } = card.data;
  const status = STATUS[card.data.status] ?? { label: card.data.status, tone: 'neutral' };
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Stack direction="row" spacing={4} useFlexGap sx={{ flexWrap: 'wrap' }}>
        <Fact label="Brand">{wallet.card_type ?? 'Not available'}</Fact>
        <Fact label="Last four">{wallet.last_4 ? `•••• ${wallet.last_4}` : 'Not available'}</Fact>
        <Fact label="Card status">
          <StatusText label={status.label} tone={status.tone} />
        </Fact>
        <Fact label="Card balance">{formatMoney(balance, wallet.currency_code)}</Fact>
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 1.5 }}>
        Only the brand, the last four digits, the status and the balance reach this console.
      </Typography>
    </Paper>
  );
};

export default CardPanel;
