import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { callApi, DESTINATIONS as D, freshSandbox, loadAdaUsd, sentWith, signInAs, type AdaUsd } from '../../../../test/app/backend';
import { renderConsole } from '../../../../test/app/console';
import { renderApp } from '../../../../test/app/render';
import RulesAtDialog from './components/RulesAtDialog';

// A wallet's own history, the rules at a payout's time, and the audit page's token filters, against the
// real console (APPROVAL_POLICY off). Ada's USD wallet starts at 60 % Evergreen + 25 % Lakeside.

let ada: AdaUsd;
let walletPath: string;
let reason: string;
beforeEach(async () => {
  await freshSandbox();
  ada = await loadAdaUsd();
  walletPath = `/users/${ada.userToken}/wallets/${ada.wallet.token}`;
  reason = `ticket ${crypto.randomUUID().slice(0, 8)}`;
});

const addQuickCash = async () => {
  const answer = await callApi('POST', `/payout/wallet/${ada.userToken}/${ada.wallet.token}/autopayout`, {
    body: { destination_token: D.quickCash, percentage: 5 },
    headers: { 'x-change-reason': encodeURIComponent(reason) },
  });
  expect(answer.status).toBe(200);
};

describe('Change history on the wallet page', () => {
  it('shows every role the changes made to the wallet, newest first, with staff name, reason and outcome; asked for beside the rules', async () => {
    await addQuickCash();
    await signInAs('viewer');
    renderConsole(walletPath);
    const region = within(await screen.findByRole('region', { name: 'Change history' }, { timeout: 10_000 }));
    const rows = await waitFor(() => {
      const found = region.getAllByRole('row').filter((row) => row.textContent?.includes(reason));
      expect(found.length).toBeGreaterThan(0);
      return found;
    });
    // Newest first: the answer, then the request.
    expect(rows[0]).toHaveTextContent(/Demo Editor.*Add rule · 5 %.*Succeeded/);
    expect(rows.at(-1)).toHaveTextContent(/Requested/);
    expect(region.queryByRole('link', { name: 'This wallet in the audit log' })).not.toBeInTheDocument();
    // Asked for by the page itself, beside the rules (not by the history's own code, once it has loaded).
    expect(sentWith('GET').some((request) => request.path === `/api/console/wallet/${ada.userToken}/${ada.wallet.token}/history`)).toBe(true);
  });

  it('gives admins a link to the audit log filtered to the wallet, whose filters gain wallet, destination and rule token', async () => {
    await addQuickCash();
    await signInAs('admin');
    const c = renderConsole(walletPath);
    const region = within(await screen.findByRole('region', { name: 'Change history' }, { timeout: 10_000 }));
    const link = await region.findByRole('link', { name: 'This wallet in the audit log' });
    expect(link).toHaveAttribute('href', `/audit?wallet=${ada.wallet.token}`);
    await c.user.click(link);
    await waitFor(() => expect(c.path()).toBe(`/audit?wallet=${ada.wallet.token}`));
    expect(await screen.findByRole('textbox', { name: 'Wallet token' }, { timeout: 10_000 })).toHaveValue(ada.wallet.token);
    expect(screen.getByRole('textbox', { name: 'Destination token' })).toHaveValue('');
    expect(screen.getByRole('textbox', { name: 'Rule token' })).toHaveValue('');
    await waitFor(() =>
      expect(sentWith('GET').some((request) => request.path.startsWith('/api/audit?') && request.path.includes(`wallet=${ada.wallet.token}`))).toBe(true),
    );

    await c.user.type(screen.getByRole('textbox', { name: 'Destination token' }), D.quickCash);
    await c.user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(c.path()).toBe(`/audit?wallet=${ada.wallet.token}&destination=${D.quickCash}`));
    const table = await screen.findByRole('table', { name: 'Audit log' });
    await waitFor(() => expect(table).toHaveAttribute('aria-busy', 'false'));
    // Other tests' changes to this wallet send QuickCash shares too: every row is one, and this test's is there.
    const rows = () => within(table).getAllByRole('row').slice(1);
    await waitFor(() => expect(rows().some((row) => row.textContent?.includes(reason))).toBe(true));
    expect(rows().every((row) => row.textContent?.includes(`${D.quickCash.slice(0, 8)}…${D.quickCash.slice(-4)}`))).toBe(true);
  });
});

describe('Rules at a payout', () => {
  it('says the console has no record from before a payout older than its records', async () => {
    await addQuickCash();
    const c = renderConsole(walletPath);
    const buttons = await screen.findAllByRole('button', { name: 'Rules at this payout' }, { timeout: 10_000 });
    await c.user.click(buttons.at(-1)!);
    const dialog = within(await screen.findByRole('dialog', { name: 'Rules at this payout' }, { timeout: 5_000 }));
    expect(await dialog.findByText(/The console has no record from before/)).toBeInTheDocument();
  });

  it('lists the rules the console knows were in force at a time after its first record', async () => {
    await addQuickCash();
    renderApp(<RulesAtDialog userToken={ada.userToken} walletToken={ada.wallet.token} at={new Date().toISOString()} onClose={() => undefined} />);
    const list = within(await screen.findByRole('list', { name: 'Rules in force' }));
    await waitFor(() =>
      expect(list.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
        expect.stringMatching(/^60 % to /),
        expect.stringMatching(/^25 % to /),
        expect.stringMatching(/^5 % to QuickCash/),
      ]),
    );
  });
});
