import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { cookieJar, DESTINATIONS as D, freshSandbox, loadAdaUsd, rulesOf, sentWith, signInAs, type AdaUsd } from '../../../test/app/backend';
import { renderConsole, signInWithForm } from '../../../test/app/console';

// The wallet page in the whole console, against the real server: what each role may do, and an add
// that meets an expired session. Ada's USD wallet starts at 60 % Evergreen + 25 % Lakeside.

const VIEWER_NOTE = 'You can view these rules. Changing them needs the editor role.';

let ada: AdaUsd;
let walletPath: string;
beforeEach(async () => {
  await freshSandbox();
  ada = await loadAdaUsd();
  walletPath = `/users/${ada.userToken}/wallets/${ada.wallet.token}`;
});

const rulesTable = () => screen.findByRole('table', { name: 'Autopay rules' });

describe('WalletPage and roles', () => {
  it('shows a viewer the rules without Add or Delete, and says why', async () => {
    await signInAs('viewer');
    renderConsole(walletPath);
    const table = await rulesTable();
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    expect(screen.getByText(VIEWER_NOTE)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add rule' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Delete rule/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Edit rule/ })).not.toBeInTheDocument();
  });

  it('gives an editor Add rule, and an Edit and a Delete per rule', async () => {
    await signInAs('editor');
    renderConsole(walletPath);
    await rulesTable();
    expect(await screen.findByRole('button', { name: 'Add rule' })).toBeEnabled();
    await waitFor(() => expect(screen.getAllByRole('button', { name: /^Delete rule / })).toHaveLength(2));
    await waitFor(() => expect(screen.getAllByRole('button', { name: /^Edit rule / })).toHaveLength(2));
    expect(screen.queryByText(VIEWER_NOTE)).not.toBeInTheDocument();
  });
});

describe('an add that meets an expired session', () => {
  it('signs in again, comes back with the dialog as it was, and saves with the same Idempotency-Key', async () => {
    const c = renderConsole(walletPath);
    await rulesTable();
    await c.user.click(await screen.findByRole('button', { name: 'Add rule' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Add autopay rule' }));
    const attr = 'attr_set_5a8f2c1e-3b4d-4e6f-8a9b-0c1d2e3f4a5b';
    const destination = dialog.getByRole('textbox', { name: 'Destination token' });
    await c.user.type(destination, D.quickCash);
    await waitFor(() => expect(destination).toHaveAccessibleDescription(/^QuickCash Wallet · /));
    await c.user.type(dialog.getByRole('textbox', { name: 'Percentage' }), '12.5');
    await c.user.type(dialog.getByRole('textbox', { name: 'Attribute set token' }), attr);

    // The session ends on the server's side while the dialog is open.
    cookieJar.clear();
    await c.user.click(dialog.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(c.path()).toBe(`/login?next=${encodeURIComponent(walletPath)}`));
    const [first] = sentWith('POST');
    expect(first!.path).toBe(`/api/payout/wallet/${ada.userToken}/${ada.wallet.token}/autopayout`);
    const key = first!.headers.get('idempotency-key');
    expect(key).toBeTruthy();
    // What is kept in the tab is what was typed, nothing secret.
    expect(Object.values(sessionStorage).join()).not.toMatch(/password|console_session/i);

    await signInWithForm(c, 'editor');
    await waitFor(() => expect(c.path()).toBe(walletPath));
    const back = within(await screen.findByRole('dialog', { name: 'Add autopay rule' }));
    expect(back.getByRole('textbox', { name: 'Destination token' })).toHaveValue(D.quickCash);
    expect(back.getByRole('textbox', { name: 'Percentage' })).toHaveValue('12.5');
    expect(back.getByRole('textbox', { name: 'Attribute set token' })).toHaveValue(attr);

    await c.user.click(back.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Add autopay rule' })).not.toBeInTheDocument());
    const posts = sentWith('POST').filter((r) => r.path.endsWith('/autopayout'));
    expect(posts).toHaveLength(2);
    expect(posts[1]!.headers.get('idempotency-key')).toBe(key);
    expect((await rulesOf(ada.userToken, ada.wallet.token)).filter((r) => r.destination_token === D.quickCash)).toEqual([
      expect.objectContaining({ percentage: 12.5 }),
    ]);
    expect(Object.keys(sessionStorage).filter((k) => k.includes('add-rule-draft'))).toEqual([]);
  });

  it('forgets the draft on Cancel', async () => {
    const c = renderConsole(walletPath);
    await rulesTable();
    await c.user.click(await screen.findByRole('button', { name: 'Add rule' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Add autopay rule' }));
    await c.user.type(dialog.getByRole('textbox', { name: 'Destination token' }), D.quickCash);
    await c.user.type(dialog.getByRole('textbox', { name: 'Percentage' }), '5');
    cookieJar.clear();
    await c.user.click(dialog.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(c.path()).toMatch(/^\/login\?next=/));
    expect(Object.keys(sessionStorage).filter((k) => k.includes('add-rule-draft'))).toHaveLength(1);

    await signInWithForm(c, 'editor');
    const back = within(await screen.findByRole('dialog', { name: 'Add autopay rule' }));
    await c.user.click(back.getByRole('button', { name: 'Cancel' }));
    expect(Object.keys(sessionStorage).filter((k) => k.includes('add-rule-draft'))).toEqual([]);
    expect(await rulesOf(ada.userToken, ada.wallet.token)).toHaveLength(2);
  });
});
