import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useLocation } from 'react-router';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  browserFoundUserSchema,
  browserTxnListSchema,
  browserWalletListSchema,
  revealPickupCodePath,
  txnHistoryListSchema,
  type BrowserTxn,
} from '../../../../api';
import { freshSandbox, loadAdaUsd, massPay, readApi, sandbox, sentWith, signInAs, type AdaUsd } from '../../../../../test/app/backend';
import { renderApp } from '../../../../../test/app/render';
import { useSession } from '../../session/api/get-session';
import { formatLocalDateTime } from '../transaction-labels';
import TransactionsSection from './TransactionsSection';

// Against the real console and sandbox (test/app-global-setup.ts). Ada's USD wallet has 31
// transactions in the seed: 11 loads (an opening one, then ten) and 20 payouts (two per load).

let ada: AdaUsd;
let all: BrowserTxn[];
beforeEach(async () => {
  await freshSandbox();
  ada = await loadAdaUsd();
  all = browserTxnListSchema.parse(await readApi(`/payout/user/${ada.userToken}/history?wallet_token=${ada.wallet.token}&number_of_records=100`));
  expect(all).toHaveLength(31);
});

/** Shows the router's search string, so a test can see what the section keeps in the URL. */
const SearchProbe = () => <output data-testid="search">{useLocation().search}</output>;
const search = () => new URLSearchParams(screen.getByTestId('search').textContent ?? '');

const renderSection = (query = '') => {
  const view = renderApp(
    <>
      <TransactionsSection userToken={ada.userToken} walletToken={ada.wallet.token} />
      <SearchProbe />
    </>,
    { route: `/users/${ada.userToken}/wallets/${ada.wallet.token}${query}` },
  );
  return {
    ...view,
    type: screen.getByRole('combobox', { name: 'Type' }),
    size: screen.getByRole('combobox', { name: 'Rows per page' }),
    from: screen.getByLabelText('From'),
    to: screen.getByLabelText('To'),
    previous: screen.getByRole('button', { name: 'Previous' }),
    next: screen.getByRole('button', { name: 'Next' }),
  };
};

const table = () => screen.getByRole('table', { name: 'Transactions' });

/** The body rows as arrays of cell texts, once the table shows settled data (not the previous page's). */
const rowsShown = async () => {
  await waitFor(() => expect(table()).toHaveAttribute('aria-busy', 'false'));
  return within(table())
    .getAllByRole('row')
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    );
};

/** How a history row reads in the table. */
const asShown = (t: BrowserTxn) => [
  { load: 'Load', payout: 'Payout', 'spend back': 'Spend-back', info: 'Info' }[t.type],
  formatLocalDateTime(t.time_of_txn),
  `$${t.source_amount.toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
  `$${t.destination_amount.toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
  `$${t.fee.toFixed(2)}`,
  'Completed',
  t.payer_name ?? '—',
  // A payout opens the rules the console knows were in force then.
  t.type === 'payout' ? 'Rules at this payout' : '',
];

const historyRequests = () =>
  sentWith('GET')
    .map((r) => new URL(r.path, 'http://x'))
    .filter((u) => u.pathname.endsWith('/history'));

describe('TransactionsSection', () => {
  it('shows the first 10 transactions of the wallet, newest first, with every column', async () => {
    const s = renderSection();
    expect(await screen.findByRole('table', { name: 'Transactions' })).toBeInTheDocument();
    const rows = await rowsShown();
    expect(rows).toEqual(all.slice(0, 10).map(asShown));
    expect(
      within(table())
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Type', 'Time', 'Amount', 'Received', 'Fee', 'Status', 'Payer', 'Rules then']);
    expect(screen.getByText('Page 1 · rows 1–10')).toBeInTheDocument();
    expect(s.previous).toBeDisabled();
    await waitFor(() => expect(s.next).toBeEnabled());

    const [first] = historyRequests();
    expect(first!.pathname).toBe(`/api/payout/user/${ada.userToken}/history`);
    expect(Object.fromEntries(first!.searchParams)).toEqual({ wallet_token: ada.wallet.token, number_of_records: '10', page: '1' });
    expect(search().toString()).toBe('');
  });

  it('pages with Next and Previous, keeping the page in the URL', async () => {
    const s = renderSection();
    await rowsShown();
    await waitFor(() => expect(s.next).toBeEnabled());
    await s.user.click(s.next);
    await waitFor(() => expect(search().get('txPage')).toBe('2'));
    expect(await rowsShown()).toEqual(all.slice(10, 20).map(asShown));
    expect(screen.getByText('Page 2 · rows 11–20')).toBeInTheDocument();
    expect(s.previous).toBeEnabled();

    await s.user.click(s.previous);
    await waitFor(() => expect(search().has('txPage')).toBe(false));
    expect(await rowsShown()).toEqual(all.slice(0, 10).map(asShown));
  });

  it('disables Next on the last page (shorter than the page size)', async () => {
    const s = renderSection('?txPage=4');
    expect(await screen.findByText('Page 4 · rows 31–31')).toBeInTheDocument();
    expect(await rowsShown()).toEqual([asShown(all[30]!)]);
    expect(s.next).toBeDisabled();
    expect(s.previous).toBeEnabled();
  });

  it('changes the page size to 25, back to page 1, and knows page 2 is the last', async () => {
    const s = renderSection('?txPage=3');
    await screen.findByText('Page 3 · rows 21–30');
    await s.user.selectOptions(s.size, '25');
    await waitFor(() => expect(search().get('txSize')).toBe('25'));
    expect(search().has('txPage')).toBe(false);
    expect(await rowsShown()).toHaveLength(25);

    await waitFor(() => expect(s.next).toBeEnabled());
    await s.user.click(s.next);
    expect(await screen.findByText('Page 2 · rows 26–31')).toBeInTheDocument();
    expect(await rowsShown()).toEqual(all.slice(25).map(asShown));
    expect(s.next).toBeDisabled();
  });

  it('filters by type: Payouts shows payout rows only, and Next knows when a full page is the last', async () => {
    const s = renderSection();
    await rowsShown();
    expect([...(s.type as HTMLSelectElement).options].map((o) => o.text)).toEqual(['All', 'Loads', 'Payouts', 'Spend-backs']);
    await s.user.selectOptions(s.type, 'Payouts');
    await waitFor(() => expect(search().get('txType')).toBe('payout'));
    await waitFor(async () => expect((await rowsShown()).every((row) => row[0] === 'Payout')).toBe(true));
    const payouts = all.filter((t) => t.type === 'payout');
    expect(await rowsShown()).toEqual(payouts.slice(0, 10).map(asShown));
    expect(historyRequests().some((u) => u.searchParams.get('type') === 'payout')).toBe(true);

    // 20 payouts: page 2 is full, yet the last one.
    await waitFor(() => expect(s.next).toBeEnabled());
    await s.user.click(s.next);
    await screen.findByText('Page 2 · rows 11–20');
    expect(await rowsShown()).toEqual(payouts.slice(10, 20).map(asShown));
    await waitFor(() => expect(s.next).toBeDisabled());

    // Changing the filter goes back to page 1.
    await s.user.selectOptions(s.type, 'Loads');
    await waitFor(() => expect(search().get('txType')).toBe('load'));
    expect(search().has('txPage')).toBe(false);
    expect(await rowsShown()).toEqual(
      all
        .filter((t) => t.type === 'load')
        .slice(0, 10)
        .map(asShown),
    );
  });

  it('says so when nothing matches', async () => {
    const s = renderSection();
    await rowsShown();
    await s.user.selectOptions(s.type, 'Spend-backs');
    expect(await screen.findByText('No transactions')).toBeInTheDocument();
    expect(screen.getByText('None match these filters.')).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Transactions' })).not.toBeInTheDocument();
    expect(s.next).toBeDisabled();
  });

  it('filters by a date range (UTC days, inclusive) and refuses From after To', async () => {
    const days = [...new Set(all.map((t) => t.time_of_txn.slice(0, 10)))];
    const [to, from] = [days[2]!, days[4]!];
    const expected = all.filter((t) => t.time_of_txn.slice(0, 10) >= from && t.time_of_txn.slice(0, 10) <= to);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(10);

    const s = renderSection();
    await rowsShown();
    // From after To: an error under To, and nothing asked of MassPay with those dates.
    fireEvent.change(s.to, { target: { value: from } });
    fireEvent.change(s.from, { target: { value: to } });
    await waitFor(() => expect(s.to).toHaveAccessibleDescription('To must be on or after From'));
    expect(s.to).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('Fix the date range to see transactions.')).toBeInTheDocument();
    expect(historyRequests().filter((u) => u.searchParams.get('start_date') === to)).toHaveLength(0);

    fireEvent.change(s.from, { target: { value: from } });
    fireEvent.change(s.to, { target: { value: to } });
    await waitFor(() => expect(search().get('txFrom')).toBe(from));
    expect(search().get('txTo')).toBe(to);
    expect(s.to).toHaveAttribute('aria-invalid', 'false');
    await waitFor(async () => expect(await rowsShown()).toEqual(expected.map(asShown)));
    const last = historyRequests().at(-1)!;
    expect(last.searchParams.get('start_date')).toBe(from);
    expect(last.searchParams.get('end_date')).toBe(to);

    await s.user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(search().toString()).toBe(''));
    expect(await rowsShown()).toHaveLength(10);
  });

  it('reopens the view a link names: page and size', async () => {
    const s = renderSection('?txPage=2&txSize=25');
    expect(await screen.findByText('Page 2 · rows 26–31')).toBeInTheDocument();
    expect(await rowsShown()).toEqual(all.slice(25).map(asShown));
    expect(s.size).toHaveValue('25');
    expect(s.type).toHaveValue('');
  });

  it('reopens the view a link names: page, type and dates', async () => {
    const payouts = all.filter((t) => t.type === 'payout');
    const from = payouts.at(-1)!.time_of_txn.slice(0, 10);
    const to = payouts[0]!.time_of_txn.slice(0, 10);
    const s = renderSection(`?txPage=2&txType=payout&txFrom=${from}&txTo=${to}`);
    expect(await screen.findByText('Page 2 · rows 11–20')).toBeInTheDocument();
    expect(await rowsShown()).toEqual(payouts.slice(10, 20).map(asShown));
    expect(s.type).toHaveValue('payout');
    expect(s.size).toHaveValue('10');
    expect(s.from).toHaveValue(from);
    expect(s.to).toHaveValue(to);
    const [first] = historyRequests();
    expect(Object.fromEntries(first!.searchParams)).toEqual({
      wallet_token: ada.wallet.token,
      type: 'payout',
      start_date: from,
      end_date: to,
      number_of_records: '10',
      page: '2',
    });
  });

  it('ignores what a hand-edited link gets wrong', async () => {
    const s = renderSection('?txPage=zero&txSize=7&txType=refund&txFrom=2024-02-30&txTo=soon');
    expect(await rowsShown()).toEqual(all.slice(0, 10).map(asShown));
    expect(s.type).toHaveValue('');
    expect(s.size).toHaveValue('10');
    expect(s.from).toHaveValue('');
    expect(screen.getByText('Page 1 · rows 1–10')).toBeInTheDocument();
  });

  it('shows a failure with Retry, and Retry brings the rows', async () => {
    // Twice: the console's client tries a 5xx once more before it shows the failure.
    await sandbox.setFaults({ failNext: { count: 2, status: 500, methods: ['GET'] } });
    const s = renderSection();
    const retry = await screen.findByRole('button', { name: 'Retry' });
    expect(screen.getByRole('alert')).toHaveTextContent(/^Could not load the transactions/);
    await s.user.click(retry);
    expect(await screen.findByRole('table', { name: 'Transactions' })).toBeInTheDocument();
    expect(await rowsShown()).toHaveLength(10);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows skeleton rows while the first page loads', async () => {
    await sandbox.setFaults({ latencyMs: 400 });
    renderSection();
    expect(await screen.findByLabelText('Loading transactions')).toBeInTheDocument();
    expect(table()).toHaveAttribute('aria-busy', 'true');
    expect(await rowsShown()).toHaveLength(10);
  });
});

describe('pickup codes', () => {
  /** Rosalind (ext-1004) is paid out in cash: her payouts carry pickup codes, as MassPay (the sandbox) holds them. */
  const loadRosalind = async () => {
    const userToken = browserFoundUserSchema.parse(await readApi('/payout/user/lookup?internal_user_id=ext-1004')).user_token;
    const walletToken = browserWalletListSchema.parse(await readApi(`/payout/wallet/${userToken}`))[0]!.token;
    const raw = await massPay(`/payout/user/${userToken}/history?wallet_token=${walletToken}`);
    const codes = txnHistoryListSchema.parse(await raw.json()).filter((row) => row.pickup_code !== undefined);
    expect(codes.length).toBeGreaterThan(0);
    return { userToken, walletToken, newest: codes[0]! };
  };
  /** Shows who the section thinks is signed in, so a test knows the session has loaded. */
  const Who = () => <output data-testid="who">{useSession().data?.role}</output>;
  const renderRosalind = ({ userToken, walletToken }: { userToken: string; walletToken: string }) =>
    renderApp(
      <>
        <TransactionsSection userToken={userToken} walletToken={walletToken} />
        <Who />
      </>,
      { route: `/users/${userToken}/wallets/${walletToken}` },
    );
  /** The payout row at that time (a load and its payouts are a minute apart). */
  const rowOf = (txnTime: string) =>
    within(table())
      .getAllByRole('row')
      .find((row) => row.querySelector(`time[datetime="${txnTime}"]`) && row.textContent?.includes('Payout'))!;

  it('are masked; an editor reveals one with an explicit click, and it takes the focus', async () => {
    const rosalind = await loadRosalind();
    const { user } = renderRosalind(rosalind);
    await rowsShown();
    expect(
      within(table())
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toContain('Pickup code');
    expect(table().textContent).not.toContain(rosalind.newest.pickup_code);
    const row = rowOf(rosalind.newest.time_of_txn);
    expect(within(row).getByText('Pickup code hidden')).toBeInTheDocument();

    await user.click(await within(row).findByRole('button', { name: 'Reveal pickup code' }));
    const shown = await within(row).findByText(rosalind.newest.pickup_code!);
    expect(shown.closest('[tabindex="-1"]')).toHaveFocus();
    expect(within(row).queryByRole('button', { name: 'Reveal pickup code' })).not.toBeInTheDocument();
    expect(sentWith('POST').map((r) => [r.path, r.body])).toEqual([
      [
        revealPickupCodePath(rosalind.userToken, rosalind.walletToken, rosalind.newest.token),
        JSON.stringify({ day: rosalind.newest.time_of_txn.slice(0, 10) }),
      ],
    ]);
  });

  it('a viewer sees them masked, with nothing to reveal them', async () => {
    const rosalind = await loadRosalind();
    await signInAs('viewer');
    renderRosalind(rosalind);
    await rowsShown();
    expect(within(table()).getAllByText('Pickup code hidden').length).toBeGreaterThan(0);
    // Once the session is known (the editor's button would show then), still no button.
    await waitFor(() => expect(screen.getByTestId('who')).toHaveTextContent('viewer'));
    expect(within(table()).queryByRole('button', { name: 'Reveal pickup code' })).not.toBeInTheDocument();
  });
});
