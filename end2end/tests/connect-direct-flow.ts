// Connect Instagram and Connect Threads in a real browser, shared by connect-direct.spec.ts
// (JavaScript on) and connect-direct-nojs.spec.ts (off): the integrations page's buttons, the
// sandbox's consent screens (which open on their first test account), and back to the app.
import type { Page } from '@playwright/test';
import { expect, seedUser, test, useServer } from '../fixtures/server';

const OWNER = { email: 'olive@example.com', name: 'Olive Owner', password: 'correct horse battery staple', role: 'owner' as const };

async function signIn(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(OWNER.email);
  await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/accounts$/);
  await page.goto('/settings/integrations');
}

/// From a consent screen, "Not you?" and then another test account.
async function switchTo(page: Page, username: string) {
  await page.getByRole('link', { name: 'Not you?' }).click();
  await page.getByRole('link', { name: username }).or(page.getByRole('button', { name: username })).first().click();
  await expect(page.getByRole('heading', { name: new RegExp(`Continue as ${username.replace('.', '\\.')}`) })).toBeVisible();
}

export function defineDirectConnectFlow(title: string) {
  test.describe(title, () => {
    const server = useServer();

    test('Connect Instagram with a Business account connects one account', async ({ page }) => {
      seedUser(server(), OWNER);
      await signIn(page);
      await page.getByRole('button', { name: 'Connect Instagram', exact: true }).click();
      await expect(page).toHaveURL(/\/sandbox\/instagram\/oauth\/authorize\?/);
      await expect(page.getByRole('heading', { name: /Continue as acme\.direct/ })).toBeVisible();
      await expect(page.getByLabel('instagram_business_content_publish')).toBeChecked();
      await page.getByRole('button', { name: 'Continue' }).click();

      // Meta appends `#_` to its redirect, and a browser keeps a fragment across redirects.
      await expect(page).toHaveURL(new RegExp(`^${server().baseURL}/settings/integrations(#_)?$`));
      await expect(page.getByRole('status')).toHaveText('Connected 1 account');
      const table = page.getByRole('table');
      await expect(table.getByRole('cell', { name: 'acme.direct', exact: true })).toBeVisible();
      await expect(table.getByRole('cell', { name: 'Instagram Business', exact: true })).toBeVisible();
    });

    test('Connect Instagram with a Personal account asks for a Business or Creator account', async ({ page }) => {
      seedUser(server(), OWNER);
      await signIn(page);
      await page.getByRole('button', { name: 'Connect Instagram', exact: true }).click();
      await switchTo(page, 'personal.pat');
      await page.getByRole('button', { name: 'Continue' }).click();

      await expect(page).toHaveURL(/\/settings\/integrations\?error=instagram_no_business_account&provider=instagram(#_)?$/);
      await expect(page.getByRole('alert')).toContainText('Connecting Instagram requires a Business or Creator account.');
      await expect(page.getByRole('heading', { name: 'Welcome to Switchboard' })).toBeVisible();
    });

    test('Connect Threads connects one profile', async ({ page }) => {
      seedUser(server(), OWNER);
      await signIn(page);
      await page.getByRole('button', { name: 'Connect Threads', exact: true }).click();
      await expect(page).toHaveURL(/\/sandbox\/threads\/oauth\/authorize\?/);
      await expect(page.getByRole('heading', { name: /Continue as acme\.threads/ })).toBeVisible();
      await page.getByRole('button', { name: 'Continue' }).click();

      // Meta appends `#_` to its redirect, and a browser keeps a fragment across redirects.
      await expect(page).toHaveURL(new RegExp(`^${server().baseURL}/settings/integrations(#_)?$`));
      await expect(page.getByRole('status')).toHaveText('Connected 1 account');
      await expect(page.getByRole('table').getByRole('cell', { name: 'acme.threads', exact: true })).toBeVisible();
      // Nothing secret reached the log.
      expect(server().logs()).not.toMatch(/TH[A-Z]{2}[A-Za-z0-9]{20,}|IGAA[A-Za-z0-9]{20,}|EAAG[A-Za-z0-9]{20,}/);
    });
  });
}
