import type { BrowserWallet } from '../../../api';
import { shortToken } from '../../lib/format';

/** How a wallet is named everywhere (links, headings, breadcrumbs): `Wallet ••4242` or `Wallet b48268c1…caa3`. */
export const walletLabel = (wallet: Pick<BrowserWallet, 'token' | 'last_4'>): string =>
  wallet.last_4 ? `Wallet ••${wallet.last_4}` : `Wallet ${shortToken(wallet.token)}`;

const TYPE_LABELS: Partial<Record<string, string>> = { MASSPAY_CARD: 'MassPay card', USER_FUNDS: 'User funds' };
/** A kind of wallet MassPay adds later shows as itself. */
export const walletTypeLabel = (wallet: Pick<BrowserWallet, 'type'>): string => TYPE_LABELS[wallet.type] ?? wallet.type;
