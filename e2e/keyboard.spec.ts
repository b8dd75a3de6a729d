import { expect, test, type Page } from '@playwright/test';
import { adaTokens, autopayRules, DEST, DEST_LABEL, focusIsWithin, resetSandbox, tabTo, walletPath } from './support';

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

const rulesTable = (page: Page) => page.getByRole('table', { name: 'Autopay rules' });

// Keyboard only: Tab, Shift+Tab, Enter, Space, Escape and typing. No click, no fill.
test('add and delete a rule with the keyboard alone; focus moves into dialogs and back', async ({ page, request }) => {
  const ada = await adaTokens(request);
  await page.goto(walletPath(ada.user, ada.usd));
  await expect(rulesTable(page).getByRole('button', { name: /^Delete rule / })).toHaveCount(2);

  // Open the add dialog, leave it with Escape: the focus returns to the opener.
  const add = page.getByRole('button', { name: 'Add rule', exact: true });
  await tabTo(page, add);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Add autopay rule' });
  await expect(dialog).toBeVisible();
  await expect.poll(() => focusIsWithin(dialog), { message: 'focus moves into the add dialog' }).toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(add).toBeFocused();

  // Open it again with Space, fill it in, save with Enter.
  await page.keyboard.press('Space');
  await expect(dialog).toBeVisible();
  await expect.poll(() => focusIsWithin(dialog)).toBe(true);
  const percentage = dialog.getByRole('textbox', { name: 'Percentage' });
  await tabTo(page, percentage);
  await page.keyboard.type('10');
  const destination = dialog.getByRole('textbox', { name: 'Destination token' });
  await tabTo(page, destination);
  await page.keyboard.type(DEST.quickCash);
  await expect(destination).toHaveValue(DEST.quickCash);
  await expect(percentage).toHaveValue('10');
  await tabTo(page, dialog.getByRole('button', { name: 'Save', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Rule added' })).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('95 % allocated · 5 % unallocated')).toBeVisible();
  await expect(add).toBeFocused();

  // Delete it: Escape first changes nothing and gives the focus back, then Delete.
  const remove = rulesTable(page).getByRole('button', { name: new RegExp(`^Delete rule ${DEST_LABEL.quickCash.source.slice(1)}`) });
  await tabTo(page, remove);
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('alertdialog', { name: 'Delete autopay rule?' });
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText('QuickCash Wallet');
  await expect(confirm).toContainText('10 %');
  await expect.poll(() => focusIsWithin(confirm), { message: 'focus moves into the confirmation' }).toBe(true);
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(remove).toBeFocused();
  expect(await autopayRules(request, ada.user, ada.usd)).toHaveLength(3);

  await page.keyboard.press('Space');
  await expect(confirm).toBeVisible();
  await tabTo(page, confirm.getByRole('button', { name: 'Delete', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Rule deleted' })).toBeVisible();
  await expect(confirm).toBeHidden();
  await expect(remove).toHaveCount(0);
  await expect(page.getByText('85 % allocated · 15 % unallocated')).toBeVisible();

  const rules = await autopayRules(request, ada.user, ada.usd);
  expect(rules.map((r) => r.destination_token).sort()).toEqual([DEST.evergreen, DEST.lakeside].sort());
});
