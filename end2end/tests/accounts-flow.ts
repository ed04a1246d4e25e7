// The accounts list in a real browser, shared by accounts.spec.ts (JavaScript on) and
// accounts-nojs.spec.ts (off): connect Alex Admin's Pages and a direct Threads profile through
// the sandbox, then filter, search and sort through plain forms and links, and walk from a Page
// to its linked Instagram account and back.
// With JavaScript a filter select applies itself when changed (public/app.js); without it
// Apply does. Either way the view lands in the URL.
import type { Page } from '@playwright/test';
import { expect, seedUser, test, useServer } from '../fixtures/server';

const OWNER = { email: 'olive@example.com', name: 'Olive Owner', password: 'correct horse battery staple', role: 'owner' as const };

async function signInAndConnect(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(OWNER.email);
  await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/accounts$/);
  await page.getByRole('button', { name: 'Connect Meta Account', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Continue as Alex Admin' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('status')).toHaveText('Connected 3 accounts');
  await page.getByRole('button', { name: 'Connect Threads', exact: true }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('status')).toHaveText('Connected 1 account');
}

function accountNames(page: Page) {
  return page.getByRole('table').locator('tbody tr td:first-child');
}

export function defineAccountsFlow(title: string) {
  test.describe(title, () => {
    const server = useServer();

    test('filters, search and sorting work through the form and the headers', async ({ page, javaScriptEnabled }) => {
      // Changes a filter select; with JavaScript the view follows at once, without Apply.
      const choose = async (label: string, value: string, url: RegExp) => {
        await page.getByLabel(label).selectOption(value);
        if (javaScriptEnabled) await expect(page).toHaveURL(url);
      };
      seedUser(server(), OWNER);
      await signInAndConnect(page);
      await page.getByRole('link', { name: 'Accounts', exact: true }).click();
      await expect(accountNames(page)).toHaveText(['Acme Bakery', 'acme.threads', 'acmebakery', 'Side Project']);
      await expect(page.getByRole('cell', { name: '0 / 25', exact: true })).toBeVisible();

      await choose('Platform', 'instagram', /platform=instagram/);
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect(page).toHaveURL(/platform=instagram/);
      await expect(accountNames(page)).toHaveText(['acmebakery']);

      await choose('Platform', 'all', /platform=all/);
      await page.getByLabel('Search').fill('ACME');
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect(accountNames(page)).toHaveText(['Acme Bakery', 'acme.threads', 'acmebakery']);

      await page.getByRole('link', { name: 'Account Name' }).click();
      await expect(page).toHaveURL(/sort=-name/);
      await expect(accountNames(page)).toHaveText(['acmebakery', 'acme.threads', 'Acme Bakery']);
      await expect(page.getByLabel('Search')).toHaveValue('ACME');

      await choose('Status', 'needs_reauth', /status=needs_reauth/);
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect(page.getByText('No accounts match this view.')).toBeVisible();
    });

    test('a Page links to its Instagram account and the account back to its Page', async ({ page }) => {
      seedUser(server(), OWNER);
      await signInAndConnect(page);
      await page.goto('/accounts');
      await page.getByRole('link', { name: 'Acme Bakery', exact: true }).click();
      await expect(page.getByRole('heading', { name: 'Linked Instagram Accounts' })).toBeVisible();
      await page.getByRole('link', { name: 'acmebakery', exact: true }).click();
      await expect(page.getByText('Parent Facebook Page')).toBeVisible();
      await expect(page.getByText('Instagram Business')).toBeVisible();
      await page.getByRole('link', { name: 'Acme Bakery', exact: true }).click();
      await expect(page.getByRole('heading', { name: 'Linked Instagram Accounts' })).toBeVisible();
      await expect(page.getByText('pages_manage_posts')).toBeVisible();
    });
  });
}
