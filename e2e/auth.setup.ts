import { mkdir } from 'node:fs/promises';
import { expect, test as setup } from '@playwright/test';
import { AUTH_DIR, ROLES, STAFF, storageStateOf } from './env';
import { signInThroughForm } from './support';

// Once per run and role, through the sign-in form as a person would: the saved cookie then serves
// every spec of that role (a session idles out after 30 minutes, longer than the suite takes).
setup.use({ storageState: { cookies: [], origins: [] } });

setup.beforeAll(async () => {
  await mkdir(AUTH_DIR, { recursive: true });
});

for (const role of ROLES) {
  setup(`sign in as the ${role}`, async ({ page }) => {
    await page.goto('/login');
    await signInThroughForm(page, role);
    await expect(page.getByRole('heading', { level: 1, name: 'Find a user' })).toBeVisible();
    await expect(page.getByText(`${STAFF[role].name} · ${role}`, { exact: true })).toBeVisible();
    await page.context().storageState({ path: storageStateOf(role) });
  });
}
