import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { cookieJar, sentWith, signInAs } from '../../../test/app/backend';
import { renderConsole, signInWithForm } from '../../../test/app/console';

// Against the real console: a real /auth/login, the session cookie in the test's jar.

beforeEach(() => cookieJar.clear());

const form = () => ({
  email: screen.getByRole('textbox', { name: 'Email' }),
  password: screen.getByLabelText('Password'),
  submit: screen.getByRole('button', { name: 'Sign in' }),
});

describe('LoginPage', () => {
  it('is the "Sign in" page: labelled fields a password manager knows, the email focused', async () => {
    renderConsole('/login');
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    await waitFor(() => expect(document.title).toBe('Sign in · MassPay Wallet Console'));
    const f = form();
    expect(f.email).toHaveAttribute('autocomplete', 'username');
    expect(f.password).toHaveAttribute('type', 'password');
    expect(f.password).toHaveAttribute('autocomplete', 'current-password');
    expect(f.email).toHaveFocus();
    // Nobody is signed in: no name, no Sign out.
    expect(screen.queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument();
  });

  it('says what is missing or wrong under each field, and sends nothing', async () => {
    const c = renderConsole('/login');
    await screen.findByRole('heading', { name: 'Sign in' });
    const f = form();
    await c.user.click(f.submit);
    await waitFor(() => expect(f.email).toHaveAccessibleDescription('Enter an email address'));
    expect(f.password).toHaveAccessibleDescription('Enter your password');
    expect(f.email).toHaveAttribute('aria-invalid', 'true');

    await c.user.type(f.email, 'editor@');
    await c.user.type(f.password, 'x{Enter}');
    await waitFor(() => expect(f.email).toHaveAccessibleDescription('Enter an email address'));
    expect(f.password).not.toHaveAccessibleDescription();
    expect(sentWith('POST')).toHaveLength(0);
  });

  it("shows the server's one generic message as an alert, whether or not the email exists", async () => {
    const c = renderConsole('/login');
    await signInWithForm(c, 'editor', 'not-the-password');
    const alert = await screen.findByRole('alert');
    const message = alert.textContent;
    expect(message).toBeTruthy();
    expect(c.path()).toBe('/login');

    const f = form();
    await c.user.clear(f.email);
    await c.user.type(f.email, 'nobody@example.com');
    await c.user.click(f.submit);
    await waitFor(() => expect(sentWith('POST')).toHaveLength(2));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent(message!));
    expect(sentWith('POST').map((r) => [r.path, r.headers.get('x-requested-with')])).toEqual([
      ['/auth/login', 'XMLHttpRequest'],
      ['/auth/login', 'XMLHttpRequest'],
    ]);
  });

  it('is busy while signing in, then goes to next (Enter submits)', async () => {
    const c = renderConsole('/login?next=%2F%3Fsearch%3D1');
    // Busy for as long as the sign-in is asked for, however short: seen in the button's own changes.
    // Polled for, it could be over already (a fast console answers while the keystrokes settle).
    const submit = await screen.findByRole('button', { name: 'Sign in' });
    const records: MutationRecord[] = [];
    const changes = new MutationObserver((list) => records.push(...list));
    changes.observe(submit, { attributes: true, attributeFilter: ['disabled'], attributeOldValue: true });
    await signInWithForm(c, 'editor');
    await waitFor(() => expect(c.path()).toBe('/?search=1'));
    // A record whose old value is null: the attribute was added, the button made disabled.
    records.push(...changes.takeRecords());
    changes.disconnect();
    expect(records.some((record) => record.oldValue === null)).toBe(true);
    expect(await screen.findByRole('heading', { level: 1, name: 'Find a user' })).toBeInTheDocument();
    expect(await screen.findByText(/ · editor$/)).toBeInTheDocument();
  });

  it.each(['//evil.com', 'https://evil.com/', '/\\evil.com'])('never follows a next that leaves the console: %s', async (next) => {
    const c = renderConsole(`/login?next=${encodeURIComponent(next)}`);
    await signInWithForm(c, 'viewer');
    await waitFor(() => expect(c.path()).toBe('/'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Find a user' })).toBeInTheDocument();
  });

  it('goes straight to next when already signed in', async () => {
    await signInAs('editor');
    const c = renderConsole('/login?next=%2Faudit');
    await waitFor(() => expect(c.path()).toBe('/audit'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Audit log' })).toBeInTheDocument();
  });
});
