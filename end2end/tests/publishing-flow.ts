// Publishing in a real browser, shared by publishing.spec.ts (JavaScript on) and
// publishing-nojs.spec.ts (off): Compose to two Pages, both Published on the posts list, and the
// accounts list's Posts Today and Last Used following.
import type { Page } from '@playwright/test';
import { expect, seedUser, test, useServer } from '../fixtures/server';

const OWNER = { email: 'olive@example.com', name: 'Olive Owner', password: 'correct horse battery staple', role: 'owner' as const };

async function signInAndConnect(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(OWNER.email);
  await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/accounts$/);
  await page.goto('/settings/integrations');
  await page.getByRole('button', { name: 'Connect Meta Account', exact: true }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('status')).toHaveText('Connected 3 accounts');
}

function accountRow(page: Page, name: string, platform: string) {
  return page.getByRole('row').filter({ hasText: name }).filter({ hasText: platform });
}

export function definePublishingFlow(title: string) {
  test.describe(title, () => {
    const server = useServer();

    test('composing to two Pages publishes both, and Posts Today and Last Used follow', async ({ page }) => {
      seedUser(server(), OWNER);
      await signInAndConnect(page);

      const before = accountRow(page, 'Side Project', 'Facebook Page');
      await page.getByRole('link', { name: 'Accounts', exact: true }).click();
      await expect(before).toContainText('Never');

      await page.getByRole('link', { name: 'Compose', exact: true }).click();
      await expect(page).toHaveURL(/\/compose$/);
      // Nothing ticked: refused, and the message is kept.
      await page.getByLabel('Message', { exact: true }).fill('Fresh bread at nine');
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await expect(page.getByRole('alert')).toHaveText('Tick at least one account to publish to.');
      await expect(page.getByLabel('Message', { exact: true })).toHaveValue('Fresh bread at nine');

      await page.getByLabel('Acme Bakery', { exact: true }).check();
      await page.getByLabel('Side Project', { exact: true }).check();
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await expect(page).toHaveURL(/\/posts$/);
      await expect(page.getByRole('status')).toHaveText('Published to Acme Bakery. Published to Side Project.');
      const rows = page.getByRole('row').filter({ hasText: 'Fresh bread at nine' });
      await expect(rows).toHaveCount(2);
      for (const name of ['Acme Bakery', 'Side Project']) {
        await expect(rows.filter({ hasText: name })).toContainText('Published');
      }

      await page.getByRole('link', { name: 'Accounts', exact: true }).click();
      for (const name of ['Acme Bakery', 'Side Project']) {
        const row = accountRow(page, name, 'Facebook Page');
        await expect(row.getByRole('cell', { name: '1', exact: true })).toBeVisible();
        await expect(row).toContainText('just now');
      }
      await expect(accountRow(page, 'acmebakery', 'Instagram Business')).toContainText('0 / 25');
    });
  });
}
