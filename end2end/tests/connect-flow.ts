// Connecting Meta in a real browser, shared by connect.spec.ts (JavaScript on) and
// connect-nojs.spec.ts (off): the welcome screen's Connect Meta Account, the sandbox's
// consent screen, and back to "Connected 3 accounts"; then Cancel → the declined message.
import type { Page } from '@playwright/test';
import { expect, seedUser, test, useServer } from '../fixtures/server';

const OWNER = { email: 'olive@example.com', name: 'Olive Owner', password: 'correct horse battery staple', role: 'owner' as const };

// The sandbox's dialog opens on its first test user, Alex Admin; "Not you?" leads to the others.
async function consentAs(page: Page, user: string) {
  if (user !== 'Alex Admin') {
    await page.getByRole('link', { name: 'Not you?' }).click();
    await page.getByRole('link', { name: user }).click();
  }
  await expect(page.getByRole('heading', { name: `Continue as ${user}` })).toBeVisible();
}

export function defineConnectFlow(title: string) {
  test.describe(title, () => {
    const server = useServer();

    test('the welcome screen connects two Pages and their Instagram account', async ({ page }) => {
      await page.goto('/setup');
      await page.getByLabel('Workspace name', { exact: true }).fill('Acme Social');
      await page.getByLabel('Your name', { exact: true }).fill('Olive Owner');
      await page.getByLabel('Email', { exact: true }).fill(OWNER.email);
      await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
      await page.getByRole('button', { name: 'Create workspace', exact: true }).click();
      await expect(page).toHaveURL(/\/accounts$/);

      await expect(page.getByRole('heading', { name: 'Welcome to Switchboard' })).toBeVisible();
      await page.getByRole('button', { name: 'Connect Meta Account', exact: true }).click();
      await expect(page).toHaveURL(/\/sandbox\/facebook\/v25\.0\/dialog\/oauth\?/);
      await consentAs(page, 'Alex Admin');
      await expect(page.getByLabel('Acme Bakery')).toBeChecked();
      await expect(page.getByLabel('Side Project')).toBeChecked();
      await page.getByRole('button', { name: 'Continue' }).click();

      await expect(page).toHaveURL(`${server().baseURL}/settings/integrations`);
      await expect(page.getByRole('status')).toHaveText('Connected 3 accounts');
      const table = page.getByRole('table');
      for (const name of ['Acme Bakery', 'Side Project', 'acmebakery']) {
        await expect(table.getByRole('cell', { name, exact: true })).toBeVisible();
      }
      await page.getByRole('link', { name: 'Accounts', exact: true }).click();
      await expect(page.getByRole('cell', { name: 'Instagram Business', exact: true })).toBeVisible();
      await expect(page.getByText('Welcome to Switchboard')).toHaveCount(0);
    });

    test('cancelling on Facebook comes back with the declined message', async ({ page }) => {
      seedUser(server(), OWNER);
      await page.goto('/login');
      await page.getByLabel('Email', { exact: true }).fill(OWNER.email);
      await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.goto('/settings/integrations');
      // A fresh workspace: Integrations shows the welcome panel's button.
      await page.getByRole('button', { name: 'Connect Meta Account', exact: true }).click();
      await consentAs(page, 'Alex Admin');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await expect(page).toHaveURL(/\/settings\/integrations\?error=permissions_declined$/);
      await expect(page.getByRole('alert')).toContainText('You declined the permissions Facebook requested.');
      // Nothing secret travels in what the browser saw or the server logged.
      expect(server().logs()).not.toMatch(/EAAG[A-Za-z0-9]{20,}/);
    });
  });
}
