import { screen, waitFor, within } from '@testing-library/react';
import { Route, Routes, useParams } from 'react-router';
import { beforeEach, describe, expect, it } from 'vitest';
import { browserFoundUserSchema } from '../../api';
import { RECENT_USERS_KEY } from '../features/users/recent-users';
import { freshSandbox, readApi, sandbox, sent, sentWith } from '../../../test/app/backend';
import { renderApp } from '../../../test/app/render';
import HomePage from './HomePage';

// Against the real console and sandbox (test/app-global-setup.ts): every answer is the sandbox's.

const UserPageStub = () => <h1>User page {useParams().userToken}</h1>;

const renderHome = () => {
  const view = renderApp(
    <Routes>
      <Route path="/" element={<HomePage />} />
      <Route path="/users/:userToken" element={<UserPageStub />} />
    </Routes>,
  );
  const region = (name: string) => within(screen.getByRole('region', { name }));
  const byToken = region('By user token');
  const byEmail = region('By email and first name');
  const byId = region('By internal user ID');
  return {
    ...view,
    byEmail,
    byId,
    token: byToken.getByRole('textbox', { name: 'User token' }),
    open: byToken.getByRole('button', { name: 'Open' }),
    email: byEmail.getByRole('textbox', { name: 'Email' }),
    firstName: byEmail.getByRole('textbox', { name: 'First name' }),
    findByEmail: byEmail.getByRole('button', { name: 'Find by email' }),
    internalId: byId.getByRole('textbox', { name: 'Internal user ID' }),
    findById: byId.getByRole('button', { name: 'Find by internal ID' }),
  };
};

const tokenOf = async (internalId: string) => browserFoundUserSchema.parse(await readApi(`/payout/user/lookup?internal_user_id=${internalId}`)).user_token;

let adaToken: string;
beforeEach(async () => {
  await freshSandbox();
  localStorage.clear();
  adaToken = await tokenOf('ext-1001');
  await sandbox.resetStats();
});

describe('HomePage: find a user', () => {
  it('is the "Find a user" page, with each way in its own region', () => {
    renderHome();
    expect(screen.getByRole('heading', { level: 1, name: 'Find a user' })).toBeInTheDocument();
    for (const name of ['By user token', 'By email and first name', 'By internal user ID', 'Recently opened']) {
      expect(screen.getByRole('region', { name })).toBeInTheDocument();
    }
  });

  describe('by user token', () => {
    it('opens the user page straight away on Enter, without a request', async () => {
      const h = renderHome();
      await h.user.type(h.token, ` ${adaToken} {Enter}`);
      expect(await screen.findByRole('heading', { name: `User page ${adaToken}` })).toBeInTheDocument();
      expect(sent).toHaveLength(0);
    });

    it('flags a malformed token when the field is left and on submit, and stays', async () => {
      const h = renderHome();
      await h.user.type(h.token, 'usr_not-a-token');
      await h.user.tab();
      await waitFor(() => expect(h.token).toHaveAccessibleDescription('User token is not a valid token'));
      expect(h.token).toHaveAttribute('aria-invalid', 'true');

      await h.user.clear(h.token);
      await h.user.click(h.open);
      await waitFor(() => expect(h.token).toHaveAccessibleDescription('Enter a user token'));
      expect(screen.getByRole('heading', { level: 1, name: 'Find a user' })).toBeInTheDocument();
      expect(sent).toHaveLength(0);
    });

    it('does not flag an empty field that is only tabbed past', async () => {
      const h = renderHome();
      await h.user.click(h.token);
      await h.user.tab();
      expect(h.token).toHaveAttribute('aria-invalid', 'false');
    });
  });

  describe('by email and first name', () => {
    it('finds Ada: name, status and a link to her page; the query is encoded', async () => {
      const h = renderHome();
      await h.user.type(h.email, 'ada@example.com');
      await h.user.type(h.firstName, 'Ada');
      await h.user.click(h.findByEmail);

      const link = await h.byEmail.findByRole('link', { name: 'Ada Lovelace' });
      expect(link).toHaveAttribute('href', `/users/${adaToken}`);
      const status = h.byEmail.getByRole('status');
      expect(status).toHaveTextContent('Active');
      expect(status).toHaveTextContent('Internal ID ext-1001');
      expect(sentWith('GET').map((r) => r.path)).toEqual(['/api/payout/user/lookup?email=ada%40example.com&first_name=Ada']);

      await h.user.click(link);
      expect(await screen.findByRole('heading', { name: `User page ${adaToken}` })).toBeInTheDocument();
    });

    it('encodes what it sends: a plus sign in the address stays a plus sign', async () => {
      const h = renderHome();
      await h.user.type(h.email, 'ada+ops@example.com');
      await h.user.type(h.firstName, 'Ada & co{Enter}');
      expect(await h.byEmail.findByText(/No user found/)).toBeInTheDocument();
      expect(sentWith('GET').map((r) => r.path)).toEqual(['/api/payout/user/lookup?email=ada%2Bops%40example.com&first_name=Ada+%26+co']);
    });

    it('flags an invalid address on blur, both missing fields on submit, and sends nothing', async () => {
      const h = renderHome();
      await h.user.type(h.email, 'ada@');
      await h.user.tab();
      await waitFor(() => expect(h.email).toHaveAccessibleDescription('Email is not a valid address'));

      await h.user.clear(h.email);
      await h.user.click(h.findByEmail);
      await waitFor(() => expect(h.email).toHaveAccessibleDescription('Enter an email address'));
      expect(h.firstName).toHaveAccessibleDescription('Enter a first name');
      expect(h.firstName).toHaveAttribute('aria-invalid', 'true');
      expect(sent).toHaveLength(0);
      expect((await sandbox.stats()).byRoute.lookupUser ?? 0).toBe(0);
    });
  });

  describe('by internal user ID', () => {
    it('finds Grace Hopper on Enter', async () => {
      const h = renderHome();
      await h.user.type(h.internalId, 'ext-1002{Enter}');
      const link = await h.byId.findByRole('link', { name: 'Grace Hopper' });
      expect(link).toHaveAttribute('href', `/users/${await tokenOf('ext-1002')}`);
      expect(sentWith('GET').map((r) => r.path)).toEqual(['/api/payout/user/lookup?internal_user_id=ext-1002']);
    });

    it('says "No user found" as a status, not an alert', async () => {
      const h = renderHome();
      await h.user.type(h.internalId, 'ext-9999{Enter}');
      await waitFor(() => expect(h.byId.getByRole('status')).toHaveTextContent(/^No user found\./));
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
      expect(h.byId.queryByRole('link')).not.toBeInTheDocument();
    });

    it('flags characters MassPay does not allow, and sends nothing', async () => {
      const h = renderHome();
      await h.user.type(h.internalId, 'ext 1002{Enter}');
      await waitFor(() => expect(h.internalId).toHaveAccessibleDescription('Internal user ID may hold letters, digits and + , - . / _ ~ | only'));
      expect(h.internalId).toHaveFocus();
      expect(sent).toHaveLength(0);
    });

    it('shows an upstream failure as an alert with Retry, which recovers', async () => {
      const h = renderHome();
      await sandbox.setFaults({ failureRate: 1, failureStatus: 503 });
      await h.user.type(h.internalId, 'ext-1002{Enter}');
      const retry = await h.byId.findByRole('button', { name: 'Retry' }, { timeout: 10_000 });
      expect(h.byId.getByRole('alert')).toHaveTextContent(/^Could not look the user up/);

      await sandbox.clearFaults();
      await h.user.click(retry);
      expect(await h.byId.findByRole('link', { name: 'Grace Hopper' })).toBeInTheDocument();
      expect(h.byId.queryByRole('alert')).not.toBeInTheDocument();
    });

    it('asks again when the same ID is submitted again', async () => {
      const h = renderHome();
      await h.user.type(h.internalId, 'ext-1002{Enter}');
      await h.byId.findByRole('link', { name: 'Grace Hopper' });
      await h.user.click(h.findById);
      await waitFor(() => expect(sentWith('GET')).toHaveLength(2));
      expect(await h.byId.findByRole('link', { name: 'Grace Hopper' })).toBeInTheDocument();
    });
  });

  describe('recently opened', () => {
    it('lists what this browser opened, newest first, as links; Clear empties it', async () => {
      const grace = await tokenOf('ext-1002');
      localStorage.setItem(
        RECENT_USERS_KEY,
        JSON.stringify([{ token: grace, name: 'Grace Hopper' }, { token: 'not a token', name: 'Mallory' }, { token: adaToken, name: 'Ada Lovelace' }, 42]),
      );
      const h = renderHome();
      const recent = within(screen.getByRole('region', { name: 'Recently opened' }));
      expect(recent.getAllByRole('link').map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
        ['Grace Hopper', `/users/${grace}`],
        ['Ada Lovelace', `/users/${adaToken}`],
      ]);

      await h.user.click(recent.getByRole('button', { name: 'Clear recently opened users' }));
      expect(recent.queryAllByRole('link')).toHaveLength(0);
      expect(recent.getByText(/^No recently opened users/)).toBeInTheDocument();
      expect(recent.getByRole('heading', { name: 'Recently opened' })).toHaveFocus();
      expect(localStorage.getItem(RECENT_USERS_KEY)).toBeNull();
      expect(await screen.findByText('Recently opened users cleared')).toBeInTheDocument();
    });

    it('says so when nothing was opened yet, and offers no Clear', () => {
      renderHome();
      const recent = within(screen.getByRole('region', { name: 'Recently opened' }));
      expect(recent.getByText(/^No recently opened users/)).toBeInTheDocument();
      expect(recent.queryByRole('button')).not.toBeInTheDocument();
    });
  });
});
