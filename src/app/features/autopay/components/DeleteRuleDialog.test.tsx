import { screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AutopayRule } from '../../../../api';
import { queryKeys } from '../../../lib/query-keys';
import { DESTINATIONS as D, freshSandbox, loadAdaUsd, payerName, rulesOf, sandbox, sentWith, type AdaUsd } from '../../../../../test/app/backend';
import { renderApp } from '../../../../../test/app/render';
import DeleteRuleDialog, { type DeleteRuleDialogProps } from './DeleteRuleDialog';

// Against the real console and sandbox (test/app-global-setup.ts). The rule deleted is Lakeside's
// 25 % on Ada's USD wallet (60 % Evergreen + 25 % Lakeside in the seed).

/** Like the wallet page: the dialog goes away when it calls onClose. */
const Harness = ({ onClose, ...props }: DeleteRuleDialogProps) => {
  const [open, setOpen] = useState(true);
  return open ? (
    <DeleteRuleDialog
      {...props}
      onClose={(deleted) => {
        onClose(deleted);
        setOpen(false);
      }}
    />
  ) : null;
};

let ada: AdaUsd;
let lakeside: AutopayRule;
let label: string;
beforeEach(async () => {
  await freshSandbox();
  ada = await loadAdaUsd();
  lakeside = ada.rules.find((r) => r.destination_token !== D.evergreen)!;
  expect(lakeside.percentage).toBe(25);
  label = await payerName(lakeside.destination_token);
});

const openDialog = async ({ reasonMode }: { reasonMode?: 'optional' | 'required' } = {}) => {
  const onClose = vi.fn<(deleted: boolean) => void>();
  const view = renderApp(<Harness userToken={ada.userToken} walletToken={ada.wallet.token} rule={lakeside} destinationLabel={label} onClose={onClose} />, {
    cached: reasonMode ? [[queryKeys.consoleSettings(), { changeReason: reasonMode, approvalPolicy: 'off' }]] : [],
  });
  const dialog = await screen.findByRole('alertdialog', { name: 'Delete autopay rule?' });
  return {
    ...view,
    onClose,
    dialog,
    confirm: within(dialog).getByRole('button', { name: 'Delete' }),
    cancel: within(dialog).getByRole('button', { name: 'Cancel' }),
    reason: within(dialog).getByRole('textbox', { name: 'Reason' }),
  };
};

const tokensLeft = async () => (await rulesOf(ada.userToken, ada.wallet.token)).map((r) => r.token);

describe('DeleteRuleDialog', () => {
  it('is the "Delete autopay rule?" alertdialog naming the destination and the percentage', async () => {
    const { dialog, cancel } = await openDialog();
    expect(dialog).toHaveAccessibleDescription(`25 % of every load will no longer be sent to ${label}. This takes effect for the next load.`);
    expect(within(dialog).getByText(new RegExp(`^25 % of every load will no longer be sent to ${label}\\.`))).toBeInTheDocument();
    // The safe choice has the focus.
    expect(cancel).toHaveFocus();
  });

  it('Cancel closes it and changes nothing', async () => {
    const { user, cancel, onClose } = await openDialog();
    await user.click(cancel);
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(onClose).toHaveBeenCalledWith(false);
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(sentWith('DELETE')).toHaveLength(0);
    expect((await sandbox.stats()).byRoute.deleteAutopayRule ?? 0).toBe(0);
    expect(await tokensLeft()).toEqual(ada.rules.map((r) => r.token));
  });

  it('Delete removes the rule from MassPay, closes with true and says so', async () => {
    const { user, confirm, onClose } = await openDialog();
    await user.click(confirm);
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    expect(onClose).toHaveBeenCalledWith(true);
    expect(await screen.findByRole('status')).toHaveTextContent(`Rule deleted: 25 % to ${label}`);
    expect(await tokensLeft()).toEqual(ada.rules.filter((r) => r.token !== lakeside.token).map((r) => r.token));

    const [request, ...more] = sentWith('DELETE');
    expect(more).toHaveLength(0);
    expect(request!.path).toBe(`/api/payout/wallet/${ada.userToken}/${ada.wallet.token}/autopayout?token=${lakeside.token}`);
    expect(request!.headers.get('idempotency-key')).toBeTruthy();
  });

  it('keeps the dialog open with an alert when the delete fails, and a retry uses the same key', async () => {
    const { user, dialog, confirm, onClose } = await openDialog();
    await sandbox.setFaults({ failNext: { count: 1, status: 500, methods: ['DELETE'] } });
    await user.click(confirm);

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(/^The rule was not deleted\./);
    expect(screen.getByRole('alertdialog', { name: 'Delete autopay rule?' })).toBeInTheDocument();
    expect(confirm).toBeEnabled();
    expect(onClose).not.toHaveBeenCalled();
    expect(await tokensLeft()).toEqual(ada.rules.map((r) => r.token));

    await user.click(confirm);
    await waitFor(() => expect(onClose).toHaveBeenCalledWith(true));
    const [first, second] = sentWith('DELETE');
    expect(second!.headers.get('idempotency-key')).toBe(first!.headers.get('idempotency-key'));
    expect(await tokensLeft()).not.toContain(lakeside.token);
  });

  it('keeps Delete busy and disabled while deleting', async () => {
    const { user, dialog, confirm, cancel, onClose } = await openDialog();
    await sandbox.setFaults({ latencyMs: 600 });
    await user.click(confirm);
    expect(await within(dialog).findByRole('progressbar', { name: 'Delete' })).toBeInTheDocument();
    expect(confirm).toBeDisabled();
    expect(cancel).toBeDisabled();
    await waitFor(() => expect(onClose).toHaveBeenCalledWith(true), { timeout: 5_000 });
  });

  describe('Reason', () => {
    it('is optional and goes along as X-Change-Reason; a retry with another reason keeps the key', async () => {
      const { user, reason, confirm, dialog, onClose } = await openDialog();
      expect(reason).not.toBeRequired();
      expect(reason).toHaveAccessibleDescription('Optional: why, or a ticket reference');
      await user.type(reason, 'Payee closed this account — SUP-9');
      await sandbox.setFaults({ failNext: { count: 1, status: 500, methods: ['DELETE'] } });
      await user.click(confirm);
      await within(dialog).findByRole('alert');
      expect(reason).toHaveValue('Payee closed this account — SUP-9');

      await user.type(reason, '!');
      await user.click(confirm);
      await waitFor(() => expect(onClose).toHaveBeenCalledWith(true));
      const [first, second] = sentWith('DELETE');
      expect(first!.headers.get('x-change-reason')).toBe(encodeURIComponent('Payee closed this account — SUP-9'));
      expect(second!.headers.get('x-change-reason')).toBe(encodeURIComponent('Payee closed this account — SUP-9!'));
      expect(second!.headers.get('idempotency-key')).toBe(first!.headers.get('idempotency-key'));
    });

    it('is required when the console says so: Delete sends nothing without one', async () => {
      const { user, reason, confirm, onClose } = await openDialog({ reasonMode: 'required' });
      expect(reason).toBeRequired();
      await user.click(confirm);
      await waitFor(() => expect(reason).toHaveAccessibleDescription('Enter a reason: why, or a ticket reference'));
      expect(reason).toHaveAttribute('aria-invalid', 'true');
      expect(sentWith('DELETE')).toHaveLength(0);
      expect(onClose).not.toHaveBeenCalled();

      await user.type(reason, 'SUP-9');
      expect(reason).toHaveAttribute('aria-invalid', 'false');
      await user.click(confirm);
      await waitFor(() => expect(onClose).toHaveBeenCalledWith(true));
      expect(sentWith('DELETE')[0]!.headers.get('x-change-reason')).toBe('SUP-9');
      expect(await tokensLeft()).not.toContain(lakeside.token);
    });
  });
});
