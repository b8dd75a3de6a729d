import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { browserWalletListSchema, toCents, txnHistoryListSchema, type BrowserWallet } from '../../../../api';
import { freshSandbox, loadAdaUsd, massPay, readApi, sentWith, type AdaUsd } from '../../../../../test/app/backend';
import { renderApp } from '../../../../../test/app/render';
import SimulateLoad from './SimulateLoad';

// Against the real console and sandbox (test/app-global-setup.ts). Ada's USD wallet sends 60 % to
// Evergreen Bank and 25 % to Lakeside Credit Union; her card wallet has no rules.

let ada: AdaUsd;
beforeEach(async () => {
  await freshSandbox();
  ada = await loadAdaUsd();
});

const renderSimulation = (wallet: BrowserWallet = ada.wallet) => {
  const view = renderApp(<SimulateLoad userToken={ada.userToken} wallet={wallet} />);
  return { ...view, amount: screen.getByRole('textbox', { name: 'Amount' }) };
};

/** The simulated split as text, one array of cells per body row, once every destination is named. */
const splitRows = async () => {
  const table = await screen.findByRole('table', { name: 'Simulated split' });
  await waitFor(() => expect(within(table).queryByLabelText('Loading destination')).not.toBeInTheDocument());
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));
};

const centsOf = (money: string | null) => toCents(Number((money ?? '').replace(/[^\d.]/g, '')));

describe('SimulateLoad', () => {
  it('splits 100.01 as 60.00 + 25.00 and keeps 15.01: the parts sum to the amount exactly', async () => {
    const { user, amount } = renderSimulation();
    expect(screen.queryByRole('table', { name: 'Simulated split' })).not.toBeInTheDocument();
    await user.type(amount, '100.01');

    const rows = await splitRows();
    expect(rows).toEqual([
      ['Evergreen Bank · Bank deposit · USA · USD', '60 %', '$60.00'],
      ['Lakeside Credit Union · Bank deposit · USA · USD', '25 %', '$25.00'],
      ['Stays in the wallet', '15 %', '$15.01'],
    ]);
    expect(rows.reduce((sum, row) => sum + centsOf(row[2]!), 0)).toBe(10_001);
    expect(screen.getByText(/^Together \$100\.01\./)).toBeInTheDocument();
    // Arithmetic on the rules already loaded: nothing is sent to change anything.
    expect(sentWith('POST')).toHaveLength(0);
  });

  it('keeps a cent that the rounding leaves over in the wallet (0.01)', async () => {
    const { user, amount } = renderSimulation();
    await user.type(amount, '0.01');
    expect((await splitRows()).map((row) => row[2])).toEqual(['$0.00', '$0.00', '$0.01']);
  });

  it('keeps everything in a wallet without rules', async () => {
    const card = browserWalletListSchema.parse(await readApi(`/payout/wallet/${ada.userToken}`)).find((w) => w.type === 'MASSPAY_CARD')!;
    const { user, amount } = renderSimulation(card);
    await user.type(amount, '0.03');
    expect(await splitRows()).toEqual([['Stays in the wallet', '100 %', '$0.03']]);
  });

  it.each([
    ['0', 'Amount must be greater than 0'],
    ['-5', 'Amount must be greater than 0'],
    ['1.001', 'Amount may have at most two decimals'],
    ['ten', 'Enter an amount, such as 100 or 99.95'],
    ['1000000000.01', 'Amount must be at most 1,000,000,000'],
  ])('refuses %j: "%s" under the field, and no split', async (text, message) => {
    const { user, amount } = renderSimulation();
    await screen.findByText('A load in USD, e.g. 100.00');
    await user.type(amount, text);
    await waitFor(() => expect(amount).toHaveAccessibleDescription(message));
    expect(amount).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('table', { name: 'Simulated split' })).not.toBeInTheDocument();

    await user.clear(amount);
    await user.type(amount, '10');
    expect(amount).toHaveAttribute('aria-invalid', 'false');
    expect(await screen.findByRole('table', { name: 'Simulated split' })).toBeInTheDocument();
  });

  it('predicts what a real load does: the payouts MassPay makes are the simulated shares', async () => {
    const { user, amount } = renderSimulation();
    await user.type(amount, '1234.57');
    const rows = await splitRows();
    const simulated = rows.slice(0, -1).map((row) => centsOf(row[2]!));
    expect(simulated).toEqual([74_074, 30_864]);

    // A load of the same amount, made on the sandbox itself (the console never forwards loads).
    const answer = await massPay(`/payout/load/${ada.userToken}`, {
      method: 'POST',
      body: { client_load_id: 'simulate-check-1', source_token: 'src_test', amount: 1234.57 },
    });
    expect(answer.ok).toBe(true);
    const { load_token: loadToken, wallet_token: walletToken } = (await answer.json()) as { load_token: string; wallet_token: string };
    expect(walletToken).toBe(ada.wallet.token);

    // The payouts of that load, by its token: MassPay's own rows (the console passes no source_token on).
    const massPayRows = await massPay(`/payout/user/${ada.userToken}/history?wallet_token=${ada.wallet.token}&type=payout&number_of_records=10`);
    const history = txnHistoryListSchema.parse(await massPayRows.json());
    const payouts = history.filter((row) => row.source_token === loadToken).map((row) => toCents(row.source_amount));
    expect(payouts.sort((a, b) => b - a)).toEqual(simulated);

    const after = browserWalletListSchema.parse(await readApi(`/payout/wallet/${ada.userToken}`)).find((w) => w.token === ada.wallet.token)!;
    expect(toCents(after.balance) - toCents(ada.wallet.balance)).toBe(centsOf(rows.at(-1)![2]!));
  });
});
