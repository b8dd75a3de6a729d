import type { Wallet } from '../../../api';
import { shortToken } from '../../lib/format';

/** How a wallet is named everywhere (links, headings, breadcrumbs): `Wallet ••4242` or `Wallet b48268c1…caa3`. */
export const walletLabel = (wallet: Pick<Wallet, 'token' | 'last_4'>): string =>
  wallet.last_4 ? `Wallet ••${wallet.last_4}` : `Wallet ${shortToken(wallet.token)}`;

export const walletTypeLabel = (wallet: Pick<Wallet, 'type'>): string => (wallet.type === 'MASSPAY_CARD' ? 'MassPay card' : 'User funds');
