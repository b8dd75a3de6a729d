import { screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { changePercentageResultSchema, type AutopayRule, type ChangePercentageResult } from '../../../../api';
import { queryKeys } from '../../../lib/query-keys';
import { callApi, DESTINATIONS as D, freshSandbox, loadAdaUsd, rulesOf, sandbox, sentWith, type AdaUsd } from '../../../../../test/app/backend';
import { renderConsole } from '../../../../../test/app/console';
import { renderApp } from '../../../../../test/app/render';
import ChangePercentageDialog, { type ChangePercentageDialogProps } from './ChangePercentageDialog';

// Against the real console and sandbox (test/app-global-setup.ts). Ada's USD wallet starts at
// 60 % Evergreen + 25 % Lakeside; the rule changed here is Evergreen's 60 %.

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EVERGREEN_LABEL = 'Evergreen Bank · Bank deposit · USA · USD';
const NO_UPDATE_LINE =
  'MassPay has no update, so the console deletes the old rule and then creates the new one; a load arriving in between keeps that share in the wallet.';

/** Like the wallet page: the dialog goes away when it calls onClose. */
const Harness = ({ onClose, ...props }: ChangePercentageDialogProps) => {
  const [open, setOpen] = useState(true);
  return open ? (
    <ChangePercentageDialog
      {...props}
      onClose={(result) => {
        onClose(result);
        setOpen(false);
      }}
    />
  ) : null;
};

let ada: AdaUsd;
let evergreen: AutopayRule;
beforeEach(async () => {
  await freshSandbox();
  ada = await loadAdaUsd();
  evergreen = ada.rules.find((r) => r.destination_token === D.evergreen)!;
  expect(evergreen.percentage).toBe(60);
});

const openDialog = async ({ reasonMode = 'optional' }: { reasonMode?: 'optional' | 'required' } = {}) => {
  const onClose = vi.fn<(result?: ChangePercentageResult) => void>();
  const view = renderApp(
    <Harness
      userToken={ada.userToken}
      walletToken={ada.wallet.token}
      rule={evergreen}
      rules={ada.rules}
      destinationLabel={EVERGREEN_LABEL}
      onClose={onClose}
    />,
    { cached: [[queryKeys.consoleSettings(), { changeReason: reasonMode, approvalPolicy: 'off' }]] },
  );
  const dialog = await screen.findByRole('dialog', { name: 'Change percentage' });
  const inDialog = within(dialog);
  return {
    ...view,
    onClose,
    dialog,
    percentage: inDialog.getByRole<HTMLInputElement>('textbox', { name: 'Percentage' }),
    reason: inDialog.getByRole('textbox', { name: 'Reason' }),
    save: inDialog.getByRole('button', { name: 'Save' }),
    cancel: inDialog.getByRole('button', { name: 'Cancel' }),
  };
};
type Dialog = Awaited<ReturnType<typeof openDialog>>;

const typePercentage = async ({ user, percentage }: Dialog, value: string) => {
  await user.clear(percentage);
  if (value) await user.type(percentage, value);
};

/** Nothing was sent to change a rule, and Ada's rules are as seeded. */
const expectNothingChanged = async () => {
  expect(sentWith('PATCH')).toHaveLength(0);
  const stats = await sandbox.stats();
  expect(stats.byRoute.createAutopayRule ?? 0).toBe(0);
  expect(stats.byRoute.deleteAutopayRule ?? 0).toBe(0);
  expect((await rulesOf(ada.userToken, ada.wallet.token)).map((r) => r.token)).toEqual(ada.rules.map((r) => r.token));
};

describe('ChangePercentageDialog', () => {
  it('is the "Change percentage" dialog: the current share typed in and selected, the remainder, and how MassPay changes a rule', async () => {
    const d = await openDialog();
    expect(d.percentage).toHaveValue('60');
    expect(d.percentage).toHaveFocus();
    // Typing replaces the value: it is selected when the field is reached.
    expect([d.percentage.selectionStart, d.percentage.selectionEnd]).toEqual([0, 2]);
    expect(d.dialog).toHaveAccessibleDescription(`60 % of every load goes to ${EVERGREEN_LABEL} now.`);
    expect(within(d.dialog).getByText(NO_UPDATE_LINE)).toBeInTheDocument();
    expect(d.percentage).toHaveAccessibleDescription('Leaves 15 % unallocated');
    expect(d.reason).toHaveValue('');
    expect(d.reason).toHaveAccessibleDescription('Optional: why, or a ticket reference');
    expect(d.reason).not.toBeRequired();

    await d.user.keyboard('70');
    expect(d.percentage).toHaveValue('70');
    expect(d.percentage).toHaveAccessibleDescription('Leaves 5 % unallocated');
    await typePercentage(d, '75');
    expect(d.percentage).toHaveAccessibleDescription('Leaves 0 % unallocated');
    await typePercentage(d, '80');
    expect(d.percentage).toHaveAccessibleDescription('That would make 105 %: more than 100 %');
    await typePercentage(d, '12.5');
    expect(d.percentage).toHaveAccessibleDescription('Leaves 62.5 % unallocated');
  });

  describe.each([
    { name: 'a share that pushes the total past 100 %', value: '75.01', message: 'At most 75 % fits: the other rules take 25 %' },
    { name: 'the share it has now', value: '60', message: 'This rule already sends 60 %: enter another percentage' },
    { name: 'the share it has now, written otherwise', value: '60.00', message: 'This rule already sends 60 %: enter another percentage' },
    { name: 'an empty percentage', value: '', message: 'Enter a percentage' },
    { name: 'a percentage that is not a number', value: 'ten', message: 'Enter a number, such as 15 or 12.5' },
    { name: 'a percentage of 0', value: '0', message: 'Percentage must be greater than 0' },
    { name: 'a percentage with three decimals', value: '10.125', message: 'Percentage may have at most two decimals' },
  ])('$name', ({ value, message }) => {
    it('is refused under the field on submit (Enter), and nothing is sent', async () => {
      const d = await openDialog();
      await typePercentage(d, value);
      await d.user.keyboard('{Enter}');
      await waitFor(() => expect(d.percentage).toHaveAccessibleDescription(message));
      expect(d.percentage).toHaveAttribute('aria-invalid', 'true');
      expect(d.onClose).not.toHaveBeenCalled();
      await expectNothingChanged();
    });
  });

  it('is refused when leaving the field, before Save', async () => {
    const d = await openDialog();
    await typePercentage(d, '76');
    await d.user.tab();
    await waitFor(() => expect(d.percentage).toHaveAccessibleDescription('At most 75 % fits: the other rules take 25 %'));
    await expectNothingChanged();
  });

  it('changes the percentage with Enter: a new rule in place of the old one, the status says so, and the reason goes along', async () => {
    const d = await openDialog();
    await d.user.keyboard('70');
    await d.user.type(d.reason, 'Ticket #4512 — Ada asked for 70 %');
    await d.user.click(d.percentage);
    await d.user.keyboard('{Enter}');

    await waitFor(() => expect(d.onClose).toHaveBeenCalledTimes(1));
    expect(await screen.findByRole('status')).toHaveTextContent(`Rule changed: 60 % → 70 % to ${EVERGREEN_LABEL}`);
    const result = changePercentageResultSchema.parse(d.onClose.mock.calls[0]![0]);
    expect(result.replacedRuleToken).toBe(evergreen.token);
    expect(result.rule).toMatchObject({ destination_token: D.evergreen, percentage: 70 });
    expect(result.rule.token).not.toBe(evergreen.token);

    const rules = await rulesOf(ada.userToken, ada.wallet.token);
    expect(rules.map((r) => r.token)).not.toContain(evergreen.token);
    expect(rules.filter((r) => r.destination_token === D.evergreen)).toEqual([expect.objectContaining({ token: result.rule.token, percentage: 70 })]);

    const [patch, ...more] = sentWith('PATCH');
    expect(more).toHaveLength(0);
    expect(patch!.path).toBe(`/api/console/wallet/${ada.userToken}/${ada.wallet.token}/autopayout/${evergreen.token}`);
    expect(JSON.parse(patch!.body!)).toEqual({ percentage: 70 });
    expect(patch!.headers.get('idempotency-key')).toMatch(UUID_V4);
    expect(patch!.headers.get('x-requested-with')).toBe('XMLHttpRequest');
    expect(patch!.headers.get('content-type')).toBe('application/json');
    expect(patch!.headers.get('x-change-reason')).toBe(encodeURIComponent('Ticket #4512 — Ada asked for 70 %'));
    expect(decodeURIComponent(patch!.headers.get('x-change-reason')!)).toBe('Ticket #4512 — Ada asked for 70 %');
  });

  it('sends no reason header when none is typed', async () => {
    const d = await openDialog();
    await typePercentage(d, '50');
    await d.user.click(d.save);
    await waitFor(() => expect(d.onClose).toHaveBeenCalledTimes(1));
    expect(sentWith('PATCH')[0]!.headers.has('x-change-reason')).toBe(false);
  });

  it('keeps Save busy and disabled while saving', async () => {
    const d = await openDialog();
    await typePercentage(d, '50');
    await sandbox.setFaults({ latencyMs: 500 });
    await d.user.click(d.save);
    expect(await within(d.dialog).findByRole('progressbar', { name: 'Save' })).toBeInTheDocument();
    expect(d.save).toBeDisabled();
    expect(d.cancel).toBeDisabled();
    await waitFor(() => expect(d.onClose).toHaveBeenCalledTimes(1), { timeout: 8_000 });
    expect(sentWith('PATCH')).toHaveLength(1);
  });

  it('Cancel and Escape close without sending anything', async () => {
    let d = await openDialog();
    await typePercentage(d, '50');
    await d.user.click(d.cancel);
    expect(d.onClose).toHaveBeenCalledWith(undefined);
    d.unmount();

    d = await openDialog();
    await typePercentage(d, '50');
    await d.user.keyboard('{Escape}');
    expect(d.onClose).toHaveBeenCalledWith(undefined);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await expectNothingChanged();
  });

  it('keeps what was typed when MassPay fails mid-change, says the console finishes it, and a retry reuses the Idempotency-Key (a new reason too)', async () => {
    const d = await openDialog();
    await typePercentage(d, '50');
    await d.user.type(d.reason, 'first reason');
    // MassPay fails the delete, the change's first step: whether it deleted is not known.
    await sandbox.setFaults({ failNext: { count: 1, status: 500, methods: ['DELETE'] } });
    await d.user.click(d.save);

    const alert = await within(d.dialog).findByRole('alert');
    // Not "not changed": the console cannot know yet; it says it finishes the change, once.
    expect(alert).not.toHaveTextContent(/not changed/);
    expect(alert).toHaveTextContent(/finishes (this|the) change by itself/);
    expect(alert.textContent!.match(/by itself/g)).toHaveLength(1);
    expect(d.percentage).toHaveValue('50');
    expect(d.reason).toHaveValue('first reason');
    expect(d.save).toBeEnabled();
    expect(d.onClose).not.toHaveBeenCalled();

    await d.user.clear(d.reason);
    await d.user.type(d.reason, 'second reason');
    await d.user.click(d.save);
    await waitFor(() => expect(d.onClose).toHaveBeenCalledTimes(1));
    const [first, second] = sentWith('PATCH');
    expect(second!.headers.get('idempotency-key')).toBe(first!.headers.get('idempotency-key'));
    expect(second!.headers.get('x-change-reason')).toBe('second%20reason');
    expect((await rulesOf(ada.userToken, ada.wallet.token)).find((r) => r.destination_token === D.evergreen)?.percentage).toBe(50);
  });

  it('sends a new Idempotency-Key once the percentage changes', async () => {
    const d = await openDialog();
    await typePercentage(d, '50');
    // MassPay cannot be read, so the console starts nothing (a half-done change left open here would be
    // finished by the console's recovery later, in another test).
    await sandbox.setFaults({ failNext: { count: 3, status: 500, methods: ['GET'] } });
    await d.user.click(d.save);
    expect(await within(d.dialog).findByRole('alert')).toHaveTextContent(/^The percentage was not changed\./);
    await sandbox.clearFaults();
    await typePercentage(d, '55');
    await d.user.click(d.save);
    await waitFor(() => expect(d.onClose).toHaveBeenCalledTimes(1));
    const [first, second] = sentWith('PATCH');
    expect(second!.headers.get('idempotency-key')).not.toBe(first!.headers.get('idempotency-key'));
    expect(JSON.parse(second!.body!)).toEqual({ percentage: 55 });
  });

  it('a wallet busy with another change: the alert says when to try again; the values and the Idempotency-Key are kept', async () => {
    const d = await openDialog();
    await typePercentage(d, '50');
    await d.user.type(d.reason, 'SUP-88');
    // Another change holds the wallet: MassPay makes its rule slowly (7 s), longer than the console waits for the wallet (5 s).
    await sandbox.setFaults({ latencyMs: 7_000, latencyMethods: ['POST'] });
    const holding = callApi('POST', `/payout/wallet/${ada.userToken}/${ada.wallet.token}/autopayout`, {
      body: { destination_token: D.quickCash, percentage: 5 },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await d.user.click(d.save);

    const alert = await within(d.dialog).findByRole('alert', {}, { timeout: 15_000 });
    expect(alert).toHaveTextContent(/^The percentage was not changed\. Another change to this wallet is still running\. Try again in \d+ s\.$/);
    expect(d.percentage).toHaveValue('50');
    expect(d.reason).toHaveValue('SUP-88');
    expect(d.save).toBeEnabled();
    expect(d.onClose).not.toHaveBeenCalled();

    expect((await holding).status).toBe(200);
    await sandbox.clearFaults();
    await d.user.click(d.save);
    await waitFor(() => expect(d.onClose).toHaveBeenCalledTimes(1));
    const [first, second] = sentWith('PATCH');
    expect(second!.headers.get('idempotency-key')).toBe(first!.headers.get('idempotency-key'));
    expect((await rulesOf(ada.userToken, ada.wallet.token)).map((r) => [r.destination_token, r.percentage])).toEqual(
      expect.arrayContaining([
        [D.evergreen, 50],
        [D.quickCash, 5],
      ]),
    );
  }, 30_000);

  describe('when the console requires a reason', () => {
    it('refuses to save without one, then sends it', async () => {
      const d = await openDialog({ reasonMode: 'required' });
      expect(d.reason).toBeRequired();
      expect(d.reason).toHaveAccessibleDescription('Required: why, or a ticket reference');
      await typePercentage(d, '50');
      await d.user.click(d.save);
      await waitFor(() => expect(d.reason).toHaveAccessibleDescription('Enter a reason: why, or a ticket reference'));
      expect(d.reason).toHaveAttribute('aria-invalid', 'true');
      await d.user.type(d.reason, '   ');
      await d.user.click(d.save);
      await waitFor(() => expect(d.reason).toHaveAccessibleDescription('Enter a reason: why, or a ticket reference'));
      await expectNothingChanged();

      await d.user.type(d.reason, 'SUP-77');
      await d.user.click(d.save);
      await waitFor(() => expect(d.onClose).toHaveBeenCalledTimes(1));
      expect(sentWith('PATCH')[0]!.headers.get('x-change-reason')).toBe('SUP-77');
    });
  });

  it('refuses a reason over 200 characters before any request', async () => {
    const d = await openDialog();
    await typePercentage(d, '50');
    await d.user.click(d.reason);
    await d.user.paste('x'.repeat(201));
    expect(d.reason).toHaveAccessibleDescription('Optional: why, or a ticket reference (201/200)');
    await d.user.click(d.save);
    await waitFor(() => expect(d.reason).toHaveAccessibleDescription('A reason is at most 200 characters'));
    await expectNothingChanged();
  });
});

describe('Edit rule on the wallet page', () => {
  const walletPath = () => `/users/${ada.userToken}/wallets/${ada.wallet.token}`;
  const table = () => screen.findByRole('table', { name: 'Autopay rules' });

  it('changes 60 % to 70 %: the table and the allocation follow, and the focus lands on the new row', async () => {
    const c = renderConsole(walletPath());
    const rules = await table();
    const edit = await within(rules).findByRole('button', { name: `Edit rule ${EVERGREEN_LABEL}` });
    await waitFor(() => expect(within(rules).getAllByRole('button', { name: /^Edit rule / })).toHaveLength(2));
    expect(screen.getByText('85 % allocated · 15 % unallocated')).toBeInTheDocument();

    await c.user.click(edit);
    const dialog = await screen.findByRole('dialog', { name: 'Change percentage' });
    const percentage = within(dialog).getByRole('textbox', { name: 'Percentage' });
    await waitFor(() => expect(percentage).toHaveFocus());
    await c.user.keyboard('70{Enter}');

    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Change percentage' })).not.toBeInTheDocument());
    expect(await screen.findByRole('status')).toHaveTextContent(`Rule changed: 60 % → 70 % to ${EVERGREEN_LABEL}`);
    expect(await screen.findByText('95 % allocated · 5 % unallocated')).toBeInTheDocument();
    const row = within(rules)
      .getByRole('button', { name: `Edit rule ${EVERGREEN_LABEL}` })
      .closest('tr')!;
    expect(within(row).getByRole('cell', { name: '70 %' })).toBeInTheDocument();
    await waitFor(() => expect(within(rules).getByRole('button', { name: `Edit rule ${EVERGREEN_LABEL}` })).toHaveFocus());
  });

  it('a 409 from the console on fresh data: shown under Percentage, what was typed kept, the rules and allocation refreshed', async () => {
    const c = renderConsole(walletPath());
    const rules = await table();
    await c.user.click(await within(rules).findByRole('button', { name: `Edit rule ${EVERGREEN_LABEL}` }));
    const dialog = await screen.findByRole('dialog', { name: 'Change percentage' });
    const percentage = within(dialog).getByRole('textbox', { name: 'Percentage' });

    // Meanwhile someone else adds 10 % to QuickCash: the wallet is at 95 %, 35 % besides Evergreen.
    const added = await callApi('POST', `/payout/wallet/${ada.userToken}/${ada.wallet.token}/autopayout`, {
      body: { destination_token: D.quickCash, percentage: 10 },
    });
    expect(added.status).toBe(200);

    // 70 fits what the page knew (25 % besides), not what the wallet holds now.
    await c.user.clear(percentage);
    await c.user.type(percentage, '70');
    expect(percentage).toHaveAccessibleDescription('Leaves 5 % unallocated');
    await c.user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(percentage).toHaveAttribute('aria-invalid', 'true'));
    // The console's own words, about the fresh total (not a message of the form's).
    expect(percentage).toHaveAccessibleDescription(/%/);
    expect(percentage).not.toHaveAccessibleDescription(/^(Leaves|At most 75 %)/);
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    expect(percentage).toHaveValue('70');
    expect(screen.getByRole('dialog', { name: 'Change percentage' })).toBeInTheDocument();
    // The page behind shows the fresh rules.
    expect(await screen.findByText('95 % allocated · 5 % unallocated')).toBeInTheDocument();
    // (Behind the modal dialog the page is hidden from assistive technology, hence `hidden`.)
    await waitFor(() => expect(within(rules).getAllByRole('button', { name: /^Edit rule /, hidden: true })).toHaveLength(3));

    const [patch, ...more] = sentWith('PATCH');
    expect(more).toHaveLength(0);
    expect(patch).toBeDefined();
    const now = await rulesOf(ada.userToken, ada.wallet.token);
    expect(now.find((r) => r.destination_token === D.evergreen)).toEqual(evergreen);

    // The form checks against the fresh rules now.
    await c.user.clear(percentage);
    await c.user.type(percentage, '66');
    await c.user.tab();
    await waitFor(() => expect(percentage).toHaveAccessibleDescription('At most 65 % fits: the other rules take 35 %'));
    await c.user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Change percentage' })).not.toBeInTheDocument());
  });

  it('a rule deleted meanwhile: the console answers, the dialog says so, and the table drops the rule', async () => {
    const c = renderConsole(walletPath());
    const rules = await table();
    await c.user.click(await within(rules).findByRole('button', { name: `Edit rule ${EVERGREEN_LABEL}` }));
    const dialog = await screen.findByRole('dialog', { name: 'Change percentage' });
    const deleted = await callApi('DELETE', `/payout/wallet/${ada.userToken}/${ada.wallet.token}/autopayout?token=${evergreen.token}`);
    expect(deleted.status).toBe(200);

    const percentage = within(dialog).getByRole('textbox', { name: 'Percentage' });
    await c.user.clear(percentage);
    await c.user.type(percentage, '50{Enter}');
    // Under the field when the console names it, else an alert: either way the dialog stays, as typed.
    await waitFor(() => expect(within(dialog).queryByRole('alert') ?? (percentage.getAttribute('aria-invalid') === 'true' ? percentage : null)).not.toBeNull());
    expect(percentage).toHaveValue('50');
    await waitFor(() => expect(within(rules).queryByRole('button', { name: `Edit rule ${EVERGREEN_LABEL}`, hidden: true })).not.toBeInTheDocument());
    expect(await screen.findByText('25 % allocated · 75 % unallocated')).toBeInTheDocument();
    expect((await rulesOf(ada.userToken, ada.wallet.token)).map((r) => r.destination_token)).toEqual([expect.not.stringMatching(D.evergreen)]);
  });
});
