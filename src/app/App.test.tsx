import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { browserFoundUserSchema } from '../api';
import { cookieJar, freshSandbox, loadAdaUsd, readApi, sandbox, signInAs } from '../../test/app/backend';
import { renderConsole, signInWithForm } from '../../test/app/console';
import { RECENT_USERS_KEY } from './features/users/recent-users';
import { isSessionKey, queryKeys } from './lib/query-keys';

// The session gate against the real console: real sign-in, real 401s, the cookie in the test's jar.

let adaToken: string;
beforeEach(async () => {
  await freshSandbox();
  adaToken = browserFoundUserSchema.parse(await readApi('/payout/user/lookup?internal_user_id=ext-1001')).user_token;
});

const banner = () => within(screen.getByRole('banner'));

describe('the session gate', () => {
  it('sends a signed-out visitor to /login?next=<path + search>, and back there after signing in', async () => {
    cookieJar.clear();
    const path = `/users/${adaToken}?from=test`;
    const c = renderConsole(path);
    await waitFor(() => expect(c.path()).toBe(`/login?next=${encodeURIComponent(path)}`));
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();

    await signInWithForm(c, 'editor');
    await waitFor(() => expect(c.path()).toBe(path));
    expect(await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeInTheDocument();
  });

  it('sends to sign in when a request meets an expired session (401), then back', async () => {
    const c = renderConsole('/');
    const id = await screen.findByRole('textbox', { name: 'Internal user ID' });
    cookieJar.clear();
    await c.user.type(id, 'ext-1002{Enter}');
    await waitFor(() => expect(c.path()).toBe('/login'));

    await signInWithForm(c, 'editor');
    await waitFor(() => expect(c.path()).toBe('/'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Find a user' })).toBeInTheDocument();
  });
});

describe('the app bar', () => {
  it('names the signed-in staff member and role; an editor gets no audit log link', async () => {
    const editor = await signInAs('editor');
    renderConsole('/');
    expect(await banner().findByText(`${editor.name} · editor`)).toBeInTheDocument();
    expect(banner().getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
    expect(banner().queryByRole('link', { name: 'Audit log' })).not.toBeInTheDocument();
  });

  it('offers an admin the audit log', async () => {
    const admin = await signInAs('admin');
    const c = renderConsole('/');
    expect(await banner().findByText(`${admin.name} · admin`)).toBeInTheDocument();
    await c.user.click(banner().getByRole('link', { name: 'Audit log' }));
    await waitFor(() => expect(c.path()).toBe('/audit'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Audit log' })).toBeInTheDocument();
  });

  it('Sign out ends the session, goes to /login and forgets everything the staff member saw', async () => {
    await signInAs('editor');
    const c = renderConsole(`/users/${adaToken}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeInTheDocument();
    expect(c.queryClient.getQueryCache().findAll({ queryKey: queryKeys.user(adaToken) }).length).toBeGreaterThan(0);

    await c.user.click(banner().getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(c.path()).toBe('/login'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(banner().queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument();
    expect(
      c.queryClient
        .getQueryCache()
        .getAll()
        .map((q) => q.queryKey),
    ).toEqual([queryKeys.session()]);
    expect(cookieJar.header()).toBeUndefined();

    // The server forgot the session too: the next person starts from nothing.
    await signInWithForm(c, 'viewer');
    await waitFor(() => expect(c.path()).toBe('/'));
    expect(await banner().findByText(/ · viewer$/)).toBeInTheDocument();
  });

  it('Sign out clears the recently opened users from this browser: the next person does not see whom the last one looked up', async () => {
    await signInAs('editor');
    const c = renderConsole(`/users/${adaToken}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeInTheDocument();
    await waitFor(() => expect(localStorage.getItem(RECENT_USERS_KEY)).toContain('Ada Lovelace'));

    await c.user.click(banner().getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(c.path()).toBe('/login'));
    expect(localStorage.getItem(RECENT_USERS_KEY)).toBeNull();

    await signInWithForm(c, 'viewer');
    await waitFor(() => expect(c.path()).toBe('/'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Find a user' })).toBeInTheDocument();
    expect(screen.queryByText('Ada Lovelace')).not.toBeInTheDocument();
  });

  it('Sign out while the wallet page is still loading: answers that land after it are dropped, nothing comes back into the cache', async () => {
    await signInAs('editor');
    const ada = await loadAdaUsd();
    // MassPay answers reads slowly: the wallet page's queries are still in flight when Sign out is clicked.
    await sandbox.setFaults({ latencyMs: 800, latencyMethods: ['GET'] });
    const c = renderConsole(`/users/${ada.userToken}/wallets/${ada.wallet.token}`);
    await waitFor(() => expect(c.queryClient.isFetching({ predicate: (q) => !isSessionKey(q.queryKey) })).toBeGreaterThan(0));
    await c.user.click(banner().getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(c.path()).toBe('/login'));
    // Longer than the slow answers take: every one of them has landed (or been cancelled) by now.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(
      c.queryClient
        .getQueryCache()
        .getAll()
        .map((q) => q.queryKey),
    ).toEqual([queryKeys.session()]);
    expect(c.queryClient.isFetching()).toBe(0);
    await sandbox.clearFaults();
  });
});

describe("the last staff member's status message", () => {
  /** Deletes Ada's 25 % rule on her wallet page, as the editor, until "Rule deleted: …" shows. */
  const deleteAdasRule = async () => {
    const ada = await loadAdaUsd();
    const c = renderConsole(`/users/${ada.userToken}/wallets/${ada.wallet.token}`);
    const rules = await screen.findByRole('table', { name: 'Autopay rules' });
    const row = await within(rules).findByRole('row', { name: /25 %/ });
    await c.user.click(within(row).getByRole('button', { name: /^Delete rule / }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete autopay rule?' });
    await c.user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText(/^Rule deleted: 25 % to /)).toBeInTheDocument();
    return c;
  };
  const deletedMessage = () => screen.queryByText(/^Rule deleted/);

  it('goes with Sign out: the next person to sign in never reads it', async () => {
    const c = await deleteAdasRule();
    await c.user.click(banner().getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(c.path()).toBe('/login'));
    // Well within the message's own few seconds.
    expect(deletedMessage()).not.toBeInTheDocument();

    await signInWithForm(c, 'viewer');
    expect(await banner().findByText(/ · viewer$/)).toBeInTheDocument();
    expect(deletedMessage()).not.toBeInTheDocument();
  });

  it('goes when a request finds the session expired', async () => {
    const c = await deleteAdasRule();
    await c.user.click(banner().getByRole('link', { name: 'MassPay Wallet Console' }));
    const id = await screen.findByRole('textbox', { name: 'Internal user ID' });
    expect(deletedMessage()).toBeInTheDocument();

    cookieJar.clear();
    await c.user.type(id, 'ext-1002{Enter}');
    await waitFor(() => expect(c.path()).toBe('/login'));
    expect(deletedMessage()).not.toBeInTheDocument();
  });
});
