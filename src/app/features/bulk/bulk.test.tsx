import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bulkJobSchema, bulkUploadAnswerSchema, type BulkJob } from '../../../api';
import {
  DESTINATIONS as D,
  freshSandbox,
  loadAdaUsd,
  readApi,
  rulesOf,
  sandbox,
  signInAs,
  useApprovalConsole,
  type AdaUsd,
} from '../../../../test/app/backend';
import { renderConsole } from '../../../../test/app/console';
import { SEED_DESTINATIONS } from '../../../../test/seed';

// Bulk changes in the whole console, against the real server and sandbox: the upload and its refusals,
// the dry run, Apply with its progress, pause / resume / cancel, a viewer's read-only view, and a
// second person's approval on the console with APPROVAL_POLICY=over:0. Jobs outlive a sandbox reset
// (they are the console's): each test opens its own by a file name of its own.

let ada: AdaUsd;
let fileName: string;
beforeEach(async () => {
  await freshSandbox();
  ada = await loadAdaUsd();
  fileName = `cohort-${crypto.randomUUID().slice(0, 8)}.csv`;
});
afterEach(() => sandbox.clearFaults());

const HEADER = 'internal_user_id,currency,action,destination_token,percentage';
/**
 * Ada's USD wallet is 60 % Evergreen + 25 % Lakeside, Grace's USD wallet 100 % Example Card, her EUR
 * wallet has none: 3 changes over 2 wallets, 1 already so, 2 refused (over 100 %, unknown user).
 */
const COHORT = [
  HEADER,
  `ext-1001,USD,set,${D.evergreen},50`,
  `ext-1001,USD,add,${D.quickCash},10`,
  `ext-1001,USD,set,${SEED_DESTINATIONS.lakeside},25`,
  `ext-1002,USD,add,${D.quickCash},5`,
  `ext-1002,EUR,add,${SEED_DESTINATIONS.rhein},20`,
  `ext-9999,USD,remove,${D.evergreen},`,
].join('\r\n');

const csvFile = (text: string, name = fileName) => new File([text], name, { type: 'text/csv' });

/** A CSV uploaded outside the SPA as the signed-in staff member (the jar's cookie); the new job's id. */
const uploadOutside = async (text: string, name = fileName): Promise<string> => {
  const response = await fetch(`/api/console/bulk?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', 'x-requested-with': 'XMLHttpRequest', accept: 'application/json' },
    body: text,
  });
  expect(response.status).toBe(202);
  return bulkUploadAnswerSchema.parse(await response.json()).id;
};

const jobOf = async (id: string): Promise<BulkJob> => bulkJobSchema.parse(await readApi(`/console/bulk/${id}`));

/** The job once the server is done with its dry run. */
const dryRunDone = (id: string) =>
  waitFor(
    async () => {
      const job = await jobOf(id);
      expect(job.status).not.toBe('resolving');
      return job;
    },
    { timeout: 15_000 },
  );

/** The job once it ended (completed, cancelled, failed). */
const ended = (id: string) =>
  waitFor(
    async () => {
      const job = await jobOf(id);
      expect(['completed', 'cancelled', 'failed']).toContain(job.status);
      return job;
    },
    { timeout: 20_000 },
  );

const statusSays = (text: string | RegExp) => waitFor(async () => expect(await screen.findByRole('status')).toHaveTextContent(text), { timeout: 10_000 });

/** The data rows of the `Dry run` table (the header row left out), once it shows `count` of them. */
const dryRunRows = async (count: number) => {
  const table = await screen.findByRole('table', { name: 'Dry run' }, { timeout: 15_000 });
  await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(count + 1), { timeout: 10_000 });
  return within(table).getAllByRole('row').slice(1);
};

const rowOfLine = (rows: HTMLElement[], line: number) => rows.find((row) => within(row).getAllByRole('cell')[0]?.textContent === String(line));

describe('the Bulk changes page', () => {
  it('refuses a bad file with every refusal by line and column, and makes no job', async () => {
    const c = renderConsole('/bulk');
    expect(await screen.findByRole('heading', { level: 1, name: 'Bulk changes' })).toBeInTheDocument();
    const bad = [HEADER, `ext-1001,USD,set,${D.evergreen},abc`, `ext-1001,USD,replace,${D.evergreen},10`].join('\n');
    await c.user.upload(screen.getByLabelText('CSV file'), csvFile(bad));
    await c.user.click(screen.getByRole('button', { name: 'Dry run' }));
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert).toHaveTextContent(`${fileName} was refused: nothing was uploaded`);
    expect(
      within(alert)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([expect.stringMatching(/^Line 2, percentage: /), expect.stringMatching(/^Line 3, action: /)]);
    expect(c.path()).toBe('/bulk');
  });

  it('uploads a CSV, shows the dry run (counts, verdicts, filter in the URL, wallets before and after), applies it with its progress, and ends with the results', async () => {
    const c = renderConsole('/bulk');
    await c.user.upload(await screen.findByLabelText('CSV file'), csvFile(COHORT));
    await c.user.click(screen.getByRole('button', { name: 'Dry run' }));
    expect(await screen.findByRole('heading', { level: 1, name: fileName }, { timeout: 10_000 })).toBeInTheDocument();
    const id = c.path()!.split('/').pop()!;
    expect(c.path()).toBe(`/bulk/${id}`);

    const rows = await dryRunRows(6);
    const verdictOf = (line: number) => within(rowOfLine(rows, line)!).getAllByRole('cell')[6]!.textContent;
    expect([2, 3, 4, 5, 6, 7].map(verdictOf)).toEqual(['Will change', 'Will change', 'Already so', 'Refused', 'Will change', 'Refused']);
    expect(rowOfLine(rows, 7)).toHaveTextContent(/user/i);
    expect(screen.getByRole('region', { name: 'Dry run counts' })).toHaveTextContent(/^Rows6Will change3Already so1Refused2$/);

    const wallets = await screen.findByRole('table', { name: 'Wallets' });
    await waitFor(() => expect(within(wallets).getAllByRole('row').length).toBeGreaterThanOrEqual(3));
    expect(
      within(wallets)
        .getByRole('link', { name: new RegExp(ada.wallet.token.slice(0, 8)) })
        .closest('tr'),
    ).toHaveTextContent(/50 %.*10 %/);

    await c.user.selectOptions(screen.getByRole('combobox', { name: 'Verdict' }), 'refused');
    await waitFor(() => expect(c.path()).toBe(`/bulk/${id}?verdict=refused`));
    await dryRunRows(2);
    expect(screen.getByRole('link', { name: 'Download CSV' })).toHaveAttribute('href', `/api/console/bulk/${id}/rows.csv`);

    await c.user.click(screen.getByRole('button', { name: 'Apply' }));
    const dialog = within(await screen.findByRole('alertdialog', { name: 'Apply 3 changes to 2 wallets?' }));
    await c.user.click(dialog.getByRole('button', { name: 'Apply' }));
    await statusSays('Job started: the changes are being applied');
    // The Apply button is gone: the focus is on the run's own heading.
    expect(screen.getByRole('heading', { level: 2, name: /^(Progress|Outcome)$/ })).toHaveFocus();
    const progress = await screen.findByRole('progressbar', { name: 'Job progress' });
    await waitFor(() => expect(progress).toHaveAttribute('aria-valuenow', '100'), { timeout: 15_000 });
    expect(progress).toHaveAttribute('aria-valuetext', '3 of 3 rows done');
    expect(await screen.findByText('The job is complete.')).toBeInTheDocument();
    expect(screen.getByText(/^3 applied · 0 already so · 0 refused · 0 failed$/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Download results' })).toHaveAttribute('href', `/api/console/bulk/${id}/rows.csv`);
    expect(screen.queryByRole('button', { name: 'Cancel job' })).not.toBeInTheDocument();

    const adaRules = await rulesOf(ada.userToken, ada.wallet.token);
    expect(Object.fromEntries(adaRules.map((rule) => [rule.destination_token, rule.percentage]))).toEqual({
      [D.evergreen]: 50,
      [SEED_DESTINATIONS.lakeside]: 25,
      [D.quickCash]: 10,
    });
    await c.user.selectOptions(screen.getByRole('combobox', { name: 'Outcome' }), 'applied');
    await waitFor(() => expect(c.path()).toBe(`/bulk/${id}?verdict=refused&outcome=applied`));
    await c.user.selectOptions(screen.getByRole('combobox', { name: 'Verdict' }), '');
    await waitFor(() => expect(c.path()).toBe(`/bulk/${id}?outcome=applied`));
    const applied = await dryRunRows(3);
    expect(applied.every((row) => /Applied/.test(row.textContent ?? '') && /Rule /.test(row.textContent ?? ''))).toBe(true);
  });

  it('pauses, resumes and cancels a running job; the rows not run are skipped', async () => {
    const id = await uploadOutside(
      [
        HEADER,
        `ext-1001,USD,set,${D.evergreen},50`,
        `ext-1001,USD,set,${SEED_DESTINATIONS.lakeside},20`,
        `ext-1001,USD,add,${D.quickCash},10`,
        `ext-1001,USD,add,${SEED_DESTINATIONS.exampleCard},5`,
      ].join('\n'),
    );
    expect((await dryRunDone(id)).counts.change).toBe(4);
    // Every MassPay write takes 1.5 s, reads stay quick: the four rows of one wallet run one after
    // another, for 6 s at least — far longer than the clicks below, each of which the server takes at once.
    await sandbox.setFaults({ latencyMs: 1_500, latencyMethods: ['POST', 'DELETE'] });
    const c = renderConsole(`/bulk/${id}`);
    await c.user.click(await screen.findByRole('button', { name: 'Apply' }, { timeout: 10_000 }));
    await c.user.click(within(await screen.findByRole('alertdialog', { name: 'Apply 4 changes to 1 wallet?' })).getByRole('button', { name: 'Apply' }));
    await c.user.click(await screen.findByRole('button', { name: 'Pause' }));
    await statusSays('Job paused');
    expect(screen.getByRole('progressbar', { name: 'Job progress' }).parentElement).toHaveTextContent(/Paused/);
    // Once the row that was in flight has ended, the resumed run has a pace: the time left shows.
    await waitFor(async () => expect((await jobOf(id)).progress.done).toBeGreaterThanOrEqual(1), { timeout: 10_000 });
    await c.user.click(await screen.findByRole('button', { name: 'Resume' }));
    await statusSays('Job resumed');
    expect(await screen.findByText(/^About \d+ (s|min) left$/)).toBeInTheDocument();
    // Paused again, it is cancelled between rows: every row not run yet is skipped.
    await c.user.click(await screen.findByRole('button', { name: 'Pause' }));
    await statusSays('Job paused');
    await c.user.click(await screen.findByRole('button', { name: 'Cancel job' }));
    const dialog = within(await screen.findByRole('alertdialog', { name: 'Cancel this job?' }));
    await c.user.click(dialog.getByRole('button', { name: 'Cancel job' }));
    await statusSays('Job cancelled');
    expect(await screen.findByText('The job was cancelled.', {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Outcome' })).toHaveFocus();

    const job = await ended(id);
    expect(job.status).toBe('cancelled');
    expect(job.counts.done).toBe(4);
    expect(job.counts.skipped).toBeGreaterThanOrEqual(1);
    expect(job.counts.applied + job.counts.unknown + job.counts.skipped).toBe(4);
  });

  it('cancels a job that never ran: Keep the job changes nothing, Cancel job ends it', async () => {
    const id = await uploadOutside(COHORT);
    await dryRunDone(id);
    const c = renderConsole(`/bulk/${id}`);
    await c.user.click(await screen.findByRole('button', { name: 'Cancel job' }, { timeout: 10_000 }));
    await c.user.click(within(await screen.findByRole('alertdialog', { name: 'Cancel this job?' })).getByRole('button', { name: 'Keep the job' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect((await jobOf(id)).status).toBe('ready');

    await c.user.click(screen.getByRole('button', { name: 'Cancel job' }));
    await c.user.click(within(await screen.findByRole('alertdialog', { name: 'Cancel this job?' })).getByRole('button', { name: 'Cancel job' }));
    await statusSays('Job cancelled');
    expect(await screen.findByText('The job was cancelled.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: fileName })).toHaveFocus();
    for (const name of ['Apply', 'Cancel job']) expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    const job = await jobOf(id);
    expect(job.status).toBe('cancelled');
    expect(job.counts.skipped).toBe(3);
  });

  it('lets a viewer read the jobs and a job, with nothing to upload or act on', async () => {
    const id = await uploadOutside(COHORT);
    await dryRunDone(id);
    await signInAs('viewer');
    const c = renderConsole('/bulk');
    const table = await screen.findByRole('table', { name: 'Bulk jobs' });
    expect(screen.queryByLabelText('CSV file')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Dry run' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Download template' })).toHaveAttribute('href', '/api/console/bulk/template.csv');
    expect(screen.getByRole('link', { name: 'Bulk changes' })).toHaveAttribute('href', '/bulk');

    await c.user.click(await within(table).findByRole('link', { name: fileName }));
    expect(await screen.findByRole('heading', { level: 1, name: fileName })).toBeInTheDocument();
    await dryRunRows(6);
    for (const name of ['Apply', 'Cancel job', 'Approve', 'Pause']) expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
  });

  it('has its own page for a job that does not exist', async () => {
    renderConsole('/bulk/00000000-0000-4000-8000-000000000000');
    expect(await screen.findByRole('heading', { level: 1, name: 'Bulk job not found' })).toBeInTheDocument();
  });
});

describe('a bulk job under APPROVAL_POLICY=over:0', () => {
  it('waits for a second person: its uploader cannot approve it, the admin approves it with a comment, then it may be applied', async () => {
    useApprovalConsole();
    await signInAs('editor');
    const id = await uploadOutside(COHORT);
    expect((await dryRunDone(id)).status).toBe('awaiting_approval');
    const editorView = renderConsole(`/bulk/${id}`);
    expect(await screen.findByText(/waits for a second person/, {}, { timeout: 10_000 })).toHaveTextContent('You uploaded it');
    await dryRunRows(6);
    for (const name of ['Apply', 'Approve', 'Reject']) expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel job' })).toBeInTheDocument();
    editorView.unmount();

    await signInAs('admin');
    const c = renderConsole(`/bulk/${id}`);
    await c.user.click(await screen.findByRole('button', { name: 'Approve' }, { timeout: 10_000 }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Approve bulk job' }));
    await c.user.type(dialog.getByRole('textbox', { name: 'Comment' }), 'checked with the payor');
    await c.user.click(dialog.getByRole('button', { name: 'Approve' }));
    await statusSays('Dry run approved: the job may be applied');
    expect(await screen.findByText(/^Approved by .+: “checked with the payor”$/)).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Apply' })).toBeInTheDocument();
    expect((await jobOf(id)).status).toBe('approved');
  });

  it('a rejected dry run never runs: no Apply, and the job says who rejected it', async () => {
    useApprovalConsole();
    await signInAs('editor');
    const id = await uploadOutside(COHORT);
    await dryRunDone(id);
    await signInAs('admin');
    const c = renderConsole(`/bulk/${id}`);
    await c.user.click(await screen.findByRole('button', { name: 'Reject' }, { timeout: 10_000 }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Reject bulk job' }));
    await c.user.click(dialog.getByRole('button', { name: 'Reject' }));
    await statusSays('Dry run rejected: the job will not run');
    expect(await screen.findByText(/^Rejected by .+\.$/)).toBeInTheDocument();
    for (const name of ['Apply', 'Approve', 'Reject', 'Cancel job']) expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    expect((await jobOf(id)).status).toBe('rejected');
  });
});
