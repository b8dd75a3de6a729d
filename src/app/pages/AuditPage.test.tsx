import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { auditPageSchema, autopayRuleSchema, browserFoundUserSchema, browserWalletListSchema } from '../../api';
import { callApi, cookieJar, readApi, sentWith, signInAs, useTamperedConsole } from '../../../test/app/backend';
import { renderConsole, signInWithForm } from '../../../test/app/console';

// The audit log against the real console: entries made by real changes through the proxy.

const RHEIN = 'dest_5eadb04c-c16f-409d-9cb5-6d8fce4ba055';
let grace: string;

/** Adds and deletes a rule on Grace's EUR wallet until her audit trail fills more than one page. */
beforeAll(async () => {
  grace = browserFoundUserSchema.parse(await readApi('/payout/user/lookup?internal_user_id=ext-1002')).user_token;
  const eur = browserWalletListSchema.parse(await readApi(`/payout/wallet/${grace}`)).find((w) => w.currency_code === 'EUR')!;
  const rules = `/payout/wallet/${grace}/${eur.token}/autopayout`;
  const total = async () => auditPageSchema.parse(await readApi(`/audit?user=${grace}&limit=25`, { as: 'admin' })).total;
  while ((await total()) <= 30) {
    const added = await callApi('POST', rules, { body: { destination_token: RHEIN, percentage: 10 } });
    if (added.status !== 200) throw new Error(`Adding a rule answered ${added.status}`);
    const rule = autopayRuleSchema.parse(added.body);
    const deleted = await callApi('DELETE', `${rules}?token=${rule.token}`);
    if (deleted.status !== 200) throw new Error(`Deleting a rule answered ${deleted.status}`);
  }
}, 60_000);

beforeEach(async () => {
  await signInAs('admin');
});

/**
 * The downloads the browser is handed from now on: every click on a `download` link that nothing
 * cancelled (as a browser would follow it), by its href. jsdom cannot download, so none goes further.
 */
const followedDownloads = () => {
  const hrefs: string[] = [];
  const record = (event: MouseEvent) => {
    const link = event.target instanceof Element ? event.target.closest('a[download]') : null;
    if (!link || event.defaultPrevented) return;
    hrefs.push(link.getAttribute('href') ?? '');
    event.preventDefault();
  };
  window.addEventListener('click', record);
  onTestFinished(() => window.removeEventListener('click', record));
  return hrefs;
};

const auditGets = () => sentWith('GET').filter((r) => r.path.startsWith('/api/audit'));
/** The hash chain's status line (the page has other live regions: the app's own status messages). */
const chainStatus = () => screen.queryAllByRole('status').find((region) => region.textContent?.startsWith('Audit chain'));
const serverPage = async (query: string) => auditPageSchema.parse(await readApi(`/audit?${query}`, { as: 'admin' }));

describe('AuditPage', () => {
  it('is the audit log: newest first, with every column', async () => {
    renderConsole('/audit');
    expect(await screen.findByRole('heading', { level: 1, name: 'Audit log' })).toBeInTheDocument();
    await waitFor(() => expect(document.title).toBe('Audit log · MassPay Wallet Console'));
    const table = await screen.findByRole('table', { name: 'Audit log' });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual([
      'Time',
      'Staff',
      'Action',
      'Outcome',
      'User',
      'Wallet',
      'Destination',
      'Percentage',
      'Rule',
      'Reason',
      'Change',
      'MassPay status',
      'Request id',
    ]);
    await waitFor(() => expect(within(table).getAllByRole('row').length).toBeGreaterThan(1));
    const newest = (await serverPage('limit=25')).entries[0]!;
    const first = within(table).getAllByRole('row')[1]!;
    expect(first).toHaveTextContent(newest.requestId);
    expect(first.querySelector('time')).toHaveAttribute('title', newest.at);
  });

  it('applies the filters on submit: to the URL, to the request, to the export', async () => {
    const c = renderConsole('/audit');
    await screen.findByRole('table', { name: 'Audit log' });
    await c.user.type(screen.getByRole('textbox', { name: 'User token' }), grace);
    await c.user.selectOptions(screen.getByRole('combobox', { name: 'Action' }), 'Add rule');
    await c.user.click(screen.getByRole('button', { name: 'Apply filters' }));

    await waitFor(() => expect(c.path()).toBe(`/audit?user=${grace}&action=add_rule`));
    await waitFor(() => expect(auditGets().at(-1)?.path).toBe(`/api/audit?user=${grace}&action=add_rule&page=1&limit=25`));
    const expected = await serverPage(`user=${grace}&action=add_rule&limit=25`);
    expect(await screen.findByText(`Showing 1–${Math.min(25, expected.total)} of ${expected.total}`)).toBeInTheDocument();
    const rows = within(screen.getByRole('table', { name: 'Audit log' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows.every((row) => /Add rule/.test(row.textContent ?? ''))).toBe(true);
    expect(screen.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', `/api/audit/export?user=${grace}&action=add_rule`);

    await c.user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(c.path()).toBe('/audit'));
    expect(screen.getByRole('textbox', { name: 'User token' })).toHaveValue('');
    expect(screen.getByRole('combobox', { name: 'Action' })).toHaveValue('');
  });

  it('opens a link with filters as it was, and pages on the server', async () => {
    const c = renderConsole(`/audit?user=${grace}`);
    expect(await screen.findByRole('textbox', { name: 'User token' })).toHaveValue(grace);
    const total = (await serverPage(`user=${grace}&limit=25`)).total;
    expect(await screen.findByText(`Showing 1–25 of ${total}`)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous page' })).toBeDisabled();

    await c.user.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(c.path()).toBe(`/audit?user=${grace}&page=2`));
    expect(await screen.findByText(`Showing 26–${Math.min(50, total)} of ${total}`)).toBeInTheDocument();
    expect(auditGets().at(-1)?.path).toBe(`/api/audit?user=${grace}&page=2&limit=25`);

    await c.user.selectOptions(screen.getByRole('combobox', { name: 'Rows per page' }), '50');
    await waitFor(() => expect(c.path()).toBe(`/audit?user=${grace}&limit=50`));
    expect(await screen.findByText(`Showing 1–${Math.min(50, total)} of ${total}`)).toBeInTheDocument();
  });

  it('Export CSV downloads the CSV of the filters applied', async () => {
    const downloads = followedDownloads();
    const c = renderConsole(`/audit?user=${grace}&action=add_rule`);
    await screen.findByText(/^Showing 1–/);
    await c.user.click(screen.getByRole('link', { name: 'Export CSV' }));
    await waitFor(() => expect(downloads).toEqual([`/api/audit/export?user=${grace}&action=add_rule`]));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('Export CSV on an ended session downloads nothing: to sign in, then back to the same filters', async () => {
    const downloads = followedDownloads();
    const path = `/audit?user=${grace}&action=add_rule`;
    const c = renderConsole(path);
    await screen.findByText(/^Showing 1–/);

    cookieJar.clear();
    await c.user.click(screen.getByRole('link', { name: 'Export CSV' }));
    await waitFor(() => expect(c.path()).toBe(`/login?next=${encodeURIComponent(path)}`));
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(downloads).toEqual([]);

    await signInWithForm(c, 'admin');
    await waitFor(() => expect(c.path()).toBe(path));
    expect(await screen.findByRole('textbox', { name: 'User token' })).toHaveValue(grace);
    await c.user.click(screen.getByRole('link', { name: 'Export CSV' }));
    await waitFor(() => expect(downloads).toEqual([`/api/audit/export?user=${grace}&action=add_rule`]));
  });

  it('says when nothing matches', async () => {
    renderConsole('/audit?staff=nobody%40example.com');
    expect(await screen.findByText('No audit entries')).toBeInTheDocument();
    expect(screen.getByText('None match these filters.')).toBeInTheDocument();
  });

  it.each(['viewer', 'editor'] as const)('tells a %s that only admins can read it', async (role) => {
    await signInAs(role);
    renderConsole('/audit');
    expect(await screen.findByRole('heading', { level: 1, name: 'Audit log' })).toBeInTheDocument();
    expect(await screen.findByRole('alert')).toHaveTextContent('Only admins can read the audit log.');
    expect(screen.queryByRole('table', { name: 'Audit log' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Export CSV' })).not.toBeInTheDocument();
    expect(screen.queryByText(/Audit chain|tampered/)).not.toBeInTheDocument();
  });
});

describe('AuditPage: the hash chain', () => {
  it('says the chain verified, and over how many entries, on every page and filter', async () => {
    const c = renderConsole('/audit');
    await screen.findByRole('table', { name: 'Audit log' });
    await waitFor(() => expect(chainStatus()).toBeDefined());
    expect(chainStatus()).toHaveTextContent(/^Audit chain verified: [\d,]+ entries\. Last checked .+\.$/);
    // What the server checked (over the whole log; its last check, at most 30 s old): a check asked for
    // now covers at least as many entries, the log only grows.
    const shown = Number(/verified: ([\d,]+) entries/.exec(chainStatus()!.textContent ?? '')![1]!.replaceAll(',', ''));
    const now = (await serverPage('limit=25')).chain!;
    expect(now.verified).toBe(true);
    expect(shown).toBeLessThanOrEqual(now.checkedEntries);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    // The newest entry checked and its hash, to note for a later `audit:verify --anchor`, with a copy button.
    if (shown > 0) {
      expect(screen.getByText(/^Newest entry and its hash:/)).toHaveTextContent(/hash: [0-9:a-f]+…[0-9a-f]{4} /);
      expect(await screen.findByRole('button', { name: 'Copy chain head token' })).toBeInTheDocument();
    }

    // A filter narrows the table, not the check.
    await c.user.selectOptions(screen.getByRole('combobox', { name: 'Action' }), 'Delete rule');
    await c.user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(c.path()).toBe('/audit?action=delete_rule'));
    await waitFor(() => expect(screen.getByRole('table', { name: 'Audit log' })).toHaveAttribute('aria-busy', 'false'));
    expect(chainStatus()).toHaveTextContent(/^Audit chain verified: [\d,]+ entries/);
  });

  it('alerts when the log was tampered with, naming the entry, and still shows the log', async () => {
    // The second console of the setup: five entries, the third changed behind the console's back.
    const victim = useTamperedConsole();
    await signInAs('admin');
    renderConsole('/audit');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(`The audit log was tampered with at entry ${victim}`);
    expect(alert).toHaveTextContent(`Entry ${victim} does not match the chain`);
    expect(alert).toHaveTextContent('Checked 5 entries at');
    expect(alert).toHaveTextContent('tell whoever runs the console');
    expect(chainStatus()).toBeUndefined();
    expect(screen.queryByText(/Audit chain verified|Newest entry and its hash/)).not.toBeInTheDocument();

    const table = await screen.findByRole('table', { name: 'Audit log' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(6));
    expect(auditGets().at(-1)?.path).toBe('/api/audit?page=1&limit=25');
  });
});
