import { screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { queryKeys } from '../../../lib/query-keys';
import { DESTINATIONS as D, freshSandbox, loadAdaUsd, rulesOf, sandbox, sentWith, type AdaUsd } from '../../../../../test/app/backend';
import { renderApp } from '../../../../../test/app/render';
import AddRuleDialog, { type AddRuleDialogProps } from './AddRuleDialog';

// Against the real console and sandbox (test/app-global-setup.ts): every answer here is MassPay's
// (the sandbox's) through the real proxy. Ada's USD wallet starts at 60 % Evergreen + 25 % Lakeside.

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Like the wallet page: the dialog goes away when it calls onClose. */
const Harness = ({ onClose, ...props }: AddRuleDialogProps) => {
  const [open, setOpen] = useState(true);
  return open ? (
    <AddRuleDialog
      {...props}
      onClose={() => {
        onClose();
        setOpen(false);
      }}
    />
  ) : null;
};

let ada: AdaUsd;
beforeEach(async () => {
  await freshSandbox();
  ada = await loadAdaUsd();
});

const openDialog = async ({ reasonMode, ...props }: Partial<AddRuleDialogProps> & { reasonMode?: 'optional' | 'required' } = {}) => {
  const onClose = vi.fn();
  const view = renderApp(<Harness userToken={ada.userToken} wallet={ada.wallet} rules={ada.rules} onClose={onClose} {...props} />, {
    cached: reasonMode ? [[queryKeys.consoleSettings(), { changeReason: reasonMode, approvalPolicy: 'off' }]] : [],
  });
  const dialog = await screen.findByRole('dialog', { name: 'Add autopay rule' });
  const inDialog = within(dialog);
  return {
    ...view,
    onClose,
    dialog,
    destination: inDialog.getByRole('textbox', { name: 'Destination token' }),
    percentage: inDialog.getByRole('textbox', { name: 'Percentage' }),
    attrSet: inDialog.getByRole('textbox', { name: 'Attribute set token' }),
    reason: inDialog.getByRole('textbox', { name: 'Reason' }),
    save: inDialog.getByRole('button', { name: 'Save' }),
    cancel: inDialog.getByRole('button', { name: 'Cancel' }),
  };
};
type Dialog = Awaited<ReturnType<typeof openDialog>>;

/** Nothing was sent to add a rule, and nothing reached MassPay to add one. */
const expectNoPost = async () => {
  expect(sentWith('POST')).toHaveLength(0);
  expect((await sandbox.stats()).byRoute.createAutopayRule ?? 0).toBe(0);
  expect(await rulesOf(ada.userToken, ada.wallet.token)).toHaveLength(2);
};

/** Types a valid destination and waits until the form has named it (the catalog lookup is done). */
const typeQuickCash = async ({ user, destination }: Dialog) => {
  await user.click(destination);
  await user.type(destination, D.quickCash);
  await waitFor(() => expect(destination).toHaveAccessibleDescription(/^QuickCash Wallet · /));
};

type Field = 'destination' | 'percentage' | 'attrSet' | 'reason';
interface Case {
  name: string;
  field: Field;
  value: string;
  message: string | RegExp;
}

const CASES: Case[] = [
  { name: 'empty destination', field: 'destination', value: '', message: 'Enter a destination token, or pick a country and a service' },
  { name: 'malformed destination token', field: 'destination', value: 'dest_not-a-token', message: 'Destination token is not a valid token' },
  { name: 'destination already used by this wallet', field: 'destination', value: D.evergreen, message: 'This wallet already has a rule for this destination' },
  { name: 'unknown destination', field: 'destination', value: D.unknown, message: 'No payout destination has this token' },
  {
    name: 'destination in another currency',
    field: 'destination',
    value: D.bancoEjemplo,
    message: /^Banco Ejemplo pays out in MXN; this wallet holds USD, and autopay never converts currency$/,
  },
  { name: 'empty percentage', field: 'percentage', value: '', message: 'Enter a percentage' },
  { name: 'percentage that is not a number', field: 'percentage', value: 'ten', message: 'Enter a number, such as 15 or 12.5' },
  { name: 'percentage of 0', field: 'percentage', value: '0', message: 'Percentage must be greater than 0' },
  // The form takes digits only, so a minus sign is refused as "not a number".
  { name: 'negative percentage', field: 'percentage', value: '-5', message: 'Percentage must be greater than 0' },
  { name: 'percentage over 100', field: 'percentage', value: '101', message: 'Percentage must be at most 100' },
  { name: 'percentage with three decimals', field: 'percentage', value: '1.125', message: 'Percentage may have at most two decimals' },
  { name: 'percentage above the unallocated remainder', field: 'percentage', value: '15.01', message: 'At most 15 % is unallocated' },
  { name: 'malformed attribute set token', field: 'attrSet', value: 'attr_nope', message: 'An attribute set token looks like attr_set_…' },
  { name: 'reason over 200 characters', field: 'reason', value: 'r'.repeat(201), message: 'A reason is at most 200 characters' },
];

describe('AddRuleDialog', () => {
  it('is the "Add autopay rule" dialog, says what is unallocated, and names a typed destination live', async () => {
    const d = await openDialog();
    expect(within(d.dialog).getByText(/15 % is unallocated/)).toBeInTheDocument();
    expect(d.percentage).toHaveAccessibleDescription('Share of every load, up to 15 %, two decimals at most');
    expect(d.destination).toHaveFocus();
    await typeQuickCash(d);
    expect(d.destination).toHaveAccessibleDescription('QuickCash Wallet · Mobile wallet · USA · USD');
  });

  describe.each(CASES)('$name', ({ field, value, message }) => {
    it('is shown under the field when it loses focus, and nothing is sent', async () => {
      const d = await openDialog();
      await d.user.click(d[field]);
      if (value) await d.user.type(d[field], value);
      await d.user.tab();
      await waitFor(() => expect(d[field]).toHaveAccessibleDescription(message));
      expect(d[field]).toHaveAttribute('aria-invalid', 'true');
      await expectNoPost();
    });

    it('is shown under the field on submit, and nothing is sent', async () => {
      const d = await openDialog();
      // The fields before it get valid values; the one under test is submitted with Enter from
      // inside it, so it never loses focus: what shows is the submit's doing, not the blur's.
      if (field !== 'destination') {
        await typeQuickCash(d);
        await d.user.click(d.percentage);
        if (field === 'attrSet' || field === 'reason') await d.user.type(d.percentage, '10');
      }
      if (field === 'attrSet' || field === 'reason') await d.user.click(d[field]);
      if (value) await d.user.type(d[field], value);
      expect(d[field]).toHaveFocus();
      expect(d[field]).toHaveAttribute('aria-invalid', 'false');
      await d.user.keyboard('{Enter}');
      await waitFor(() => expect(d[field]).toHaveAccessibleDescription(message));
      expect(d[field]).toHaveAttribute('aria-invalid', 'true');
      expect(d.onClose).not.toHaveBeenCalled();
      await expectNoPost();
    });
  });

  it('adds a valid rule: MassPay has it, the dialog closes and the status says so', async () => {
    const d = await openDialog();
    await typeQuickCash(d);
    await d.user.type(d.percentage, '15');
    await d.user.click(d.save);

    await waitFor(() => expect(d.onClose).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByRole('status')).toHaveTextContent('Rule added: 15 % to QuickCash Wallet · Mobile wallet · USA · USD');

    const rules = await rulesOf(ada.userToken, ada.wallet.token);
    expect(rules.map((r) => [r.destination_token, r.percentage])).toEqual([
      [D.evergreen, 60],
      [expect.any(String), 25],
      [D.quickCash, 15],
    ]);

    const [post, ...more] = sentWith('POST');
    expect(more).toHaveLength(0);
    expect(post!.path).toBe(`/api/payout/wallet/${ada.userToken}/${ada.wallet.token}/autopayout`);
    expect(JSON.parse(post!.body!)).toEqual({ destination_token: D.quickCash, percentage: 15 });
    expect(post!.headers.get('idempotency-key')).toMatch(UUID_V4);
    expect(post!.headers.get('x-requested-with')).toBe('XMLHttpRequest');
    // No reason typed: no header.
    expect(post!.headers.has('x-change-reason')).toBe(false);
  });

  describe('Reason', () => {
    it('is optional, says what it is for, and goes along percent-encoded as X-Change-Reason', async () => {
      const d = await openDialog();
      expect(d.reason).not.toBeRequired();
      expect(d.reason).toHaveAccessibleDescription('Optional: why, or a ticket reference');
      await typeQuickCash(d);
      await d.user.type(d.percentage, '15');
      await d.user.type(d.reason, '  Café payout — ticket SUP-12  ');
      await d.user.click(d.save);
      await waitFor(() => expect(d.onClose).toHaveBeenCalledTimes(1));
      const [post] = sentWith('POST');
      // Trimmed, then percent-encoded UTF-8; the body is the rule alone.
      expect(post!.headers.get('x-change-reason')).toBe(encodeURIComponent('Café payout — ticket SUP-12'));
      expect(JSON.parse(post!.body!)).toEqual({ destination_token: D.quickCash, percentage: 15 });
    });

    it('is required when the console says so: nothing is sent without one', async () => {
      const d = await openDialog({ reasonMode: 'required' });
      expect(d.reason).toBeRequired();
      expect(d.reason).toHaveAccessibleDescription('Required: why, or a ticket reference');
      await typeQuickCash(d);
      await d.user.type(d.percentage, '15');
      await d.user.click(d.save);
      await waitFor(() => expect(d.reason).toHaveAccessibleDescription('Enter a reason: why, or a ticket reference'));
      expect(d.reason).toHaveAttribute('aria-invalid', 'true');
      await expectNoPost();

      await d.user.type(d.reason, 'SUP-12');
      await d.user.click(d.save);
      await waitFor(() => expect(d.onClose).toHaveBeenCalledTimes(1));
      expect(sentWith('POST')[0]!.headers.get('x-change-reason')).toBe('SUP-12');
    });

    it('is no part of the submission: a retry with another reason keeps the Idempotency-Key', async () => {
      const d = await openDialog();
      await typeQuickCash(d);
      await d.user.type(d.percentage, '15');
      await d.user.type(d.reason, 'first');
      await sandbox.setFaults({ failNext: { count: 1, status: 500, methods: ['POST'] } });
      await d.user.click(d.save);
      await within(d.dialog).findByRole('alert');
      expect(d.reason).toHaveValue('first');

      await d.user.clear(d.reason);
      await d.user.type(d.reason, 'second');
      await d.user.click(d.save);
      await waitFor(() => expect(d.onClose).toHaveBeenCalledTimes(1));
      const [first, second] = sentWith('POST');
      expect(second!.headers.get('idempotency-key')).toBe(first!.headers.get('idempotency-key'));
      expect([first!.headers.get('x-change-reason'), second!.headers.get('x-change-reason')]).toEqual(['first', 'second']);
      expect((await rulesOf(ada.userToken, ada.wallet.token)).filter((r) => r.destination_token === D.quickCash)).toHaveLength(1);
    });
  });

  it('sends a valid attribute set token along', async () => {
    const d = await openDialog();
    const attr = 'attr_set_5a8f2c1e-3b4d-4e6f-8a9b-0c1d2e3f4a5b';
    await typeQuickCash(d);
    await d.user.type(d.percentage, '5');
    await d.user.type(d.attrSet, attr);
    await d.user.click(d.save);
    await waitFor(() => expect(d.onClose).toHaveBeenCalledTimes(1));
    expect(JSON.parse(sentWith('POST')[0]!.body!)).toEqual({ destination_token: D.quickCash, percentage: 5, attr_set_token: attr });
    expect((await rulesOf(ada.userToken, ada.wallet.token)).find((r) => r.destination_token === D.quickCash)?.attr_set_token).toBe(attr);
  });

  it('keeps Save busy and disabled while saving', async () => {
    const d = await openDialog();
    await typeQuickCash(d);
    await d.user.type(d.percentage, '15');
    await sandbox.setFaults({ latencyMs: 600 });

    await d.user.click(d.save);
    expect(await within(d.dialog).findByRole('progressbar', { name: 'Save' })).toBeInTheDocument();
    expect(d.save).toBeDisabled();
    expect(d.cancel).toBeDisabled();

    await waitFor(() => expect(d.onClose).toHaveBeenCalledTimes(1), { timeout: 5_000 });
    expect(sentWith('POST')).toHaveLength(1);
  });

  it('Cancel closes without sending anything', async () => {
    const d = await openDialog();
    await typeQuickCash(d);
    await d.user.type(d.percentage, '15');
    await d.user.click(d.cancel);
    expect(d.onClose).toHaveBeenCalledTimes(1);
    await expectNoPost();
  });

  describe('when MassPay refuses or fails', () => {
    it("shows the console's 409 (its policy, on fresh data) under the field it names; MassPay is not asked", async () => {
      // A stale list without Lakeside's 25 %: the form believes 40 % is free, the console knows 15 % is.
      const d = await openDialog({ rules: ada.rules.filter((r) => r.destination_token === D.evergreen) });
      expect(d.percentage).toHaveAccessibleDescription('Share of every load, up to 40 %, two decimals at most');
      await typeQuickCash(d);
      await d.user.type(d.percentage, '30');
      await d.user.click(d.save);

      // The console's words about what the wallet holds now: 15 % fits beside the other 85 %.
      await waitFor(() => expect(d.percentage).toHaveAccessibleDescription(/^At most 15 % fits\b.*85 %/));
      expect(d.percentage).toHaveAttribute('aria-invalid', 'true');
      expect(d.destination).toHaveAttribute('aria-invalid', 'false');
      expect(within(d.dialog).queryByRole('alert')).not.toBeInTheDocument();
      expect(d.percentage).toHaveValue('30');
      expect(d.onClose).not.toHaveBeenCalled();
      expect(sentWith('POST')).toHaveLength(1);
      expect((await sandbox.stats()).byRoute.createAutopayRule ?? 0).toBe(0);
      expect(await rulesOf(ada.userToken, ada.wallet.token)).toHaveLength(2);
    });

    it('after a refusal that settles it, saving the same values again is a new submission (a new Idempotency-Key)', async () => {
      const d = await openDialog({ rules: ada.rules.filter((r) => r.destination_token === D.evergreen) });
      await typeQuickCash(d);
      await d.user.type(d.percentage, '30');
      await d.user.click(d.save);
      await waitFor(() => expect(d.percentage).toHaveAttribute('aria-invalid', 'true'));
      await d.user.click(d.save);
      await waitFor(() => expect(sentWith('POST')).toHaveLength(2));
      const [first, second] = sentWith('POST');
      // The first key's answer was a refusal: reusing it would only replay that refusal.
      expect(second!.headers.get('idempotency-key')).not.toBe(first!.headers.get('idempotency-key'));
    });

    it('shows a failure that names no field as an alert in the dialog and keeps what was typed', async () => {
      const d = await openDialog();
      const attr = 'attr_set_5a8f2c1e-3b4d-4e6f-8a9b-0c1d2e3f4a5b';
      await typeQuickCash(d);
      await d.user.type(d.percentage, '12.5');
      await d.user.type(d.attrSet, attr);
      await sandbox.setFaults({ failNext: { count: 1, status: 500, methods: ['POST'] } });
      await d.user.click(d.save);

      const alert = await within(d.dialog).findByRole('alert');
      expect(alert).toHaveTextContent(/^The rule was not added\./);
      expect(d.destination).toHaveValue(D.quickCash);
      expect(d.percentage).toHaveValue('12.5');
      expect(d.attrSet).toHaveValue(attr);
      expect(d.save).toBeEnabled();
      expect(d.onClose).not.toHaveBeenCalled();
      expect(await rulesOf(ada.userToken, ada.wallet.token)).toHaveLength(2);
    });

    it('retries a submission whose answer was lost with the same Idempotency-Key, adding the rule once', async () => {
      const d = await openDialog();
      await typeQuickCash(d);
      await d.user.type(d.percentage, '15');
      // MassPay makes the change, then the connection drops before the answer comes back.
      await sandbox.setFaults({ failNext: { count: 1, drop: true, phase: 'after', methods: ['POST'] } });
      await d.user.click(d.save);
      // Not "was not added": MassPay did make it, and the console cannot know — it says so.
      expect(await within(d.dialog).findByRole('alert')).toHaveTextContent(/may or may not have been made\. It is safe to try again/);
      expect(d.onClose).not.toHaveBeenCalled();

      await d.user.click(d.save);
      await waitFor(() => expect(d.onClose).toHaveBeenCalledTimes(1));
      expect(await screen.findByRole('status')).toHaveTextContent(/^Rule added: 15 % to QuickCash Wallet/);

      const posts = sentWith('POST');
      expect(posts).toHaveLength(2);
      expect(posts[0]!.headers.get('idempotency-key')).toMatch(UUID_V4);
      expect(posts[1]!.headers.get('idempotency-key')).toBe(posts[0]!.headers.get('idempotency-key'));
      // MassPay made the rule on the first attempt; the retry found it there (the console re-reads the
      // wallet when an attempt's outcome is unknown) instead of asking MassPay to make it again.
      expect((await sandbox.stats()).byRoute.createAutopayRule).toBe(1);

      const rules = await rulesOf(ada.userToken, ada.wallet.token);
      expect(rules).toHaveLength(3);
      expect(rules.filter((r) => r.destination_token === D.quickCash)).toEqual([expect.objectContaining({ percentage: 15 })]);
    });

    it('sends a new Idempotency-Key once the values change', async () => {
      const d = await openDialog();
      await typeQuickCash(d);
      await d.user.type(d.percentage, '15');
      await sandbox.setFaults({ failNext: { count: 1, status: 500, methods: ['POST'] } });
      await d.user.click(d.save);
      await within(d.dialog).findByRole('alert');

      await d.user.clear(d.percentage);
      await d.user.type(d.percentage, '10');
      await d.user.click(d.save);
      await waitFor(() => expect(d.onClose).toHaveBeenCalledTimes(1));

      const [first, second] = sentWith('POST');
      expect(second!.headers.get('idempotency-key')).not.toBe(first!.headers.get('idempotency-key'));
      expect((await rulesOf(ada.userToken, ada.wallet.token)).find((r) => r.destination_token === D.quickCash)?.percentage).toBe(10);
    });
  });
});
