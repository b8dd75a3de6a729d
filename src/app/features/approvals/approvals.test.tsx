import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { changeRequestSchema, type ChangeRequest } from '../../../api';
import { callApi, DESTINATIONS as D, freshSandbox, loadAdaUsd, rulesOf, signInAs, useApprovalConsole, type AdaUsd } from '../../../../test/app/backend';
import { renderConsole } from '../../../../test/app/console';

// Four-eyes approval in the whole console, against the real server with APPROVAL_POLICY=over:0 (every
// change waits for a second person). Its change requests outlive a sandbox reset: each test finds its
// own by a reason of its own. Ada's USD wallet starts at 60 % Evergreen + 25 % Lakeside.

let ada: AdaUsd;
let walletPath: string;
let reason: string;
beforeEach(async () => {
  useApprovalConsole();
  await signInAs('editor');
  await freshSandbox();
  ada = await loadAdaUsd();
  walletPath = `/users/${ada.userToken}/wallets/${ada.wallet.token}`;
  reason = `ticket ${crypto.randomUUID().slice(0, 8)}`;
});

const rulesPath = () => `/payout/wallet/${ada.userToken}/${ada.wallet.token}/autopayout`;

/** An editor asks for a change outside the SPA: the console holds it (202) and answers the change request. */
const requestAdd = async (percentage = 5, why = reason): Promise<ChangeRequest> => {
  const answer = await callApi('POST', rulesPath(), {
    body: { destination_token: D.quickCash, percentage },
    headers: { 'x-change-reason': encodeURIComponent(why) },
  });
  expect(answer.status).toBe(202);
  return changeRequestSchema.parse(answer.body);
};

const status = () => screen.findByRole('status');
/** The status message, once the change's answer is in (a save through the console and its audit log may take a while on a busy machine). */
const statusSays = (text: string | RegExp) => waitFor(async () => expect(await status()).toHaveTextContent(text), { timeout: 10_000 });

/** The wallet page, once its rules are there (its code loads lazily: the first test waits for it). */
const openWallet = async () => {
  const c = renderConsole(walletPath);
  const table = await screen.findByRole('table', { name: 'Autopay rules' }, { timeout: 10_000 });
  await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
  return c;
};

/** The row of the `Change requests` table whose text has `text` (this test's reason). */
const rowWith = async (text: string) => {
  const table = await screen.findByRole('table', { name: 'Change requests' });
  return within(
    await waitFor(
      () =>
        within(table)
          .getAllByRole('row')
          .find((row) => row.textContent?.includes(text)) ?? Promise.reject(new Error(`no row with ${text}`)),
    ),
  );
};

describe('the change dialogs under APPROVAL_POLICY=over:0', () => {
  it('Delete says the change will wait; the 202 says "Sent for approval", closes the dialog, changes no rule, and the wallet shows the pending request and its history', async () => {
    const c = await openWallet();
    await c.user.click((await screen.findAllByRole('button', { name: /^Delete rule / }))[1]!);
    const dialog = within(await screen.findByRole('alertdialog', { name: 'Delete autopay rule?' }, { timeout: 5_000 }));
    expect(await dialog.findByRole('note')).toHaveTextContent(/This change will wait for approval/);
    await c.user.type(dialog.getByRole('textbox', { name: 'Reason' }), reason);
    await c.user.click(dialog.getByRole('button', { name: 'Delete' }));
    await statusSays(/^Sent for approval: delete 25 % to /);
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(await rulesOf(ada.userToken, ada.wallet.token)).toHaveLength(2);

    const row = await rowWith(reason);
    expect(row.getByRole('button', { name: 'Withdraw' })).toBeInTheDocument();
    expect(row.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();
    const history = within(await screen.findByRole('region', { name: 'Change history' }));
    await waitFor(() => expect(history.getAllByRole('row').find((r) => r.textContent?.includes(reason))).toHaveTextContent(/Sent for approval/));
  });

  it('Add and Change percentage say the change will wait, and "Sent for approval" on save', async () => {
    const c = await openWallet();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Add rule' })).toBeEnabled());
    await c.user.click(screen.getByRole('button', { name: 'Add rule' }));
    const add = within(await screen.findByRole('dialog', { name: 'Add autopay rule' }, { timeout: 5_000 }));
    await c.user.type(add.getByRole('textbox', { name: 'Destination token' }), D.quickCash);
    await c.user.type(add.getByRole('textbox', { name: 'Percentage' }), '5');
    expect(await add.findByText(/This change will wait for approval.*no rule for/)).toBeInTheDocument();
    await c.user.click(add.getByRole('button', { name: 'Save' }));
    await statusSays(/^Sent for approval: add 5 % to QuickCash Wallet/);
    expect(screen.queryByRole('dialog', { name: 'Add autopay rule' })).not.toBeInTheDocument();

    await c.user.click((await screen.findAllByRole('button', { name: /^Edit rule / }))[1]!);
    const edit = within(await screen.findByRole('dialog', { name: 'Change percentage' }, { timeout: 5_000 }));
    const percentage = edit.getByRole('textbox', { name: 'Percentage' });
    await c.user.clear(percentage);
    await c.user.type(percentage, '20');
    expect(await edit.findByText(/This change will wait for approval.*5 percentage points/)).toBeInTheDocument();
    await c.user.click(edit.getByRole('button', { name: 'Save' }));
    await statusSays(/^Sent for approval: 25 % → 20 % to /);
    expect(screen.queryByRole('dialog', { name: 'Change percentage' })).not.toBeInTheDocument();
    expect((await rulesOf(ada.userToken, ada.wallet.token)).map((rule) => rule.percentage).sort()).toEqual([25, 60]);
  });
});

describe('the Approvals page', () => {
  it('counts the pending requests in the app bar; a second person approves with a comment, the rule is made, and the history shows both names and the reason', async () => {
    await requestAdd();
    await signInAs('admin');
    const c = renderConsole('/approvals');
    expect(await screen.findByRole('link', { name: /^Approvals \(\d+\)$/ })).toHaveAttribute('href', '/approvals');
    const row = await rowWith(reason);
    expect(row.queryByRole('button', { name: 'Withdraw' })).not.toBeInTheDocument();
    await c.user.click(row.getByRole('button', { name: 'Approve' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Approve change request' }));
    await c.user.type(dialog.getByRole('textbox', { name: 'Comment' }), 'checked with the payee');
    await c.user.click(dialog.getByRole('button', { name: 'Approve' }));
    await statusSays('Change approved and applied');
    expect((await rulesOf(ada.userToken, ada.wallet.token)).filter((rule) => rule.destination_token === D.quickCash).map((rule) => rule.percentage)).toEqual([
      5,
    ]);
    await waitFor(async () => expect(await rowWith(reason)).toBeTruthy());
    expect((await rowWith(reason)).getByText('Applied')).toBeInTheDocument();

    c.unmount();
    renderConsole(walletPath);
    const history = within(await screen.findByRole('region', { name: 'Change history' }));
    await waitFor(() => {
      const ours = history.getAllByRole('row').filter((r) => r.textContent?.includes(reason) || r.textContent?.includes('checked with the payee'));
      const text = ours.map((r) => r.textContent).join('\n');
      expect(text).toMatch(/Demo Editor/);
      expect(text).toMatch(/Demo Admin/);
      expect(text).toMatch(/Sent for approval/);
      expect(text).toMatch(/Approved/);
    });
  });

  it('a second person rejects: nothing is made', async () => {
    await requestAdd();
    await signInAs('admin');
    const c = renderConsole('/approvals?status=pending');
    await c.user.click((await rowWith(reason)).getByRole('button', { name: 'Reject' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Reject change request' }));
    await c.user.click(dialog.getByRole('button', { name: 'Reject' }));
    await statusSays('Change request rejected');
    expect((await rulesOf(ada.userToken, ada.wallet.token)).some((rule) => rule.destination_token === D.quickCash)).toBe(false);
  });

  it('its requester withdraws it', async () => {
    await requestAdd();
    const c = renderConsole('/approvals?status=pending');
    const row = await rowWith(reason);
    expect(row.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();
    await c.user.click(row.getByRole('button', { name: 'Withdraw' }));
    await statusSays('Change request withdrawn');
    await c.user.selectOptions(await screen.findByRole('combobox', { name: 'Status' }), 'Withdrawn');
    await waitFor(() => expect(c.path()).toBe('/approvals?status=withdrawn'));
    expect((await rowWith(reason)).getByText('Withdrawn')).toBeInTheDocument();
  });

  it("an approval after the wallet's rules changed shows the rules then and now, and approving again confirms it", async () => {
    const add = await requestAdd();
    const lakeside = ada.rules.find((rule) => rule.destination_token !== D.evergreen)!;
    const other = `${reason} delete`;
    const deletion = await callApi('DELETE', `${rulesPath()}?token=${lakeside.token}`, { headers: { 'x-change-reason': encodeURIComponent(other) } });
    expect(deletion.status).toBe(202);
    expect((await callApi('POST', `/console/change-requests/${changeRequestSchema.parse(deletion.body).id}/approve`, { as: 'admin', body: {} })).status).toBe(
      200,
    );

    await signInAs('admin');
    const c = renderConsole('/approvals?status=pending');
    await c.user.click((await rowWith(add.reason!)).getByRole('button', { name: 'Approve' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Approve change request' }));
    await c.user.click(dialog.getByRole('button', { name: 'Approve' }));
    const alert = within(await dialog.findByRole('alert'));
    expect(alert.getByRole('heading', { name: 'When requested' })).toBeInTheDocument();
    expect(alert.getByRole('heading', { name: 'Now' })).toBeInTheDocument();
    await waitFor(() => expect(alert.getAllByRole('listitem')).toHaveLength(3));
    expect((await rulesOf(ada.userToken, ada.wallet.token)).some((rule) => rule.destination_token === D.quickCash)).toBe(false);
    await c.user.click(dialog.getByRole('button', { name: 'Approve' }));
    await statusSays('Change approved and applied');
    expect((await rulesOf(ada.userToken, ada.wallet.token)).map((rule) => rule.destination_token).sort()).toEqual([D.evergreen, D.quickCash].sort());
  });
});
