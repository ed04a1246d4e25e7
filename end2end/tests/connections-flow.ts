// Disconnecting and reconnecting in a real browser, shared by connections.spec.ts (JavaScript
// on) and connections-nojs.spec.ts (off): Disconnect's confirmation page, the Disconnected
// profiles section, Reconnect through the sandbox's consent screen, and Meta's own "remove
// app" arriving as a signed deauthorize callback.
import type { Page } from '@playwright/test';
import { expect, refreshOnce, seedUser, test, useServer } from '../fixtures/server';

const OWNER = { email: 'olive@example.com', name: 'Olive Owner', password: 'correct horse battery staple', role: 'owner' as const };

async function signInAndConnect(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(OWNER.email);
  await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/accounts$/);
  await page.goto('/settings/integrations');
  await page.getByRole('button', { name: 'Connect Meta Account', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Continue as Alex Admin' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('status')).toHaveText('Connected 3 accounts');
}

export function defineConnectionsFlow(title: string) {
  test.describe(title, () => {
    const server = useServer();

    test('disconnecting Acme Bakery names acmebakery, and Reconnect brings both back', async ({ page }) => {
      seedUser(server(), OWNER);
      await signInAndConnect(page);

      const connections = page.getByRole('table').first();
      await connections
        .getByRole('row', { name: /Acme Bakery/ })
        .getByRole('button', { name: 'Disconnect', exact: true })
        .click();
      await expect(page).toHaveURL(/\/accounts\/\d+\/disconnect\?from=/);
      await expect(page.getByRole('heading', { name: 'Disconnect Acme Bakery?' })).toBeVisible();
      await expect(page.getByText('Acme Bakery and its linked Instagram account acmebakery')).toBeVisible();
      await expect(page.getByRole('link', { name: 'Cancel', exact: true })).toBeVisible();
      await page.getByRole('button', { name: 'Yes, disconnect', exact: true }).click();

      await expect(page).toHaveURL(/\/settings\/integrations$/);
      await expect(page.getByRole('status')).toHaveText(
        'Disconnected Acme Bakery and its linked Instagram account acmebakery.',
      );
      const disconnected = page.getByRole('region', { name: 'Disconnected profiles' });
      for (const name of ['Acme Bakery', 'acmebakery']) {
        await expect(disconnected.getByRole('cell', { name, exact: true })).toBeVisible();
      }
      await page.getByRole('link', { name: 'Accounts', exact: true }).click();
      await expect(page.getByRole('cell', { name: 'Side Project', exact: true })).toBeVisible();
      await expect(page.getByRole('cell', { name: 'Acme Bakery', exact: true })).toHaveCount(0);
      await expect(page.getByRole('cell', { name: 'acmebakery', exact: true })).toHaveCount(0);

      await page.goto('/settings/integrations');
      await page
        .getByRole('region', { name: 'Disconnected profiles' })
        .getByRole('row', { name: /Acme Bakery/ })
        .getByRole('button', { name: 'Reconnect', exact: true })
        .click();
      await expect(page.getByRole('heading', { name: 'Continue as Alex Admin' })).toBeVisible();
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page).toHaveURL(/\/settings\/integrations(#_)?$/);
      await expect(page.getByRole('status')).toHaveText('Reconnected 3 accounts');
      await expect(page.getByText('No disconnected profiles.')).toBeVisible();
      await expect(
        page.getByRole('table').first().getByRole('row', { name: /Acme Bakery/ }),
      ).toContainText('Active');
    });

    test("Meta's remove app marks the accounts Needs Reauthorization, and Reconnect makes them Active", async ({ page, request }) => {
      seedUser(server(), OWNER);
      await signInAndConnect(page);
      // The sandbox signs and delivers the deauthorize callback, as Meta would when Alex Admin
      // removes the app on Facebook.
      const delivered = await request.post(`${server().baseURL}/sandbox/_control/signed_requests`, {
        data: { product: 'facebook', callback: 'deauthorize', user_id: '10000000000000001', deliver: true },
      });
      expect(delivered.ok()).toBeTruthy();
      expect((await delivered.json()).delivered.status).toBe(200);

      await page.goto('/accounts?status=needs_reauth');
      const acme = page.getByRole('row', { name: /Acme Bakery/ });
      await expect(acme).toContainText('Needs Reauthorization');
      await expect(acme).toContainText('App removed on Facebook');
      await acme.getByRole('button', { name: 'Reconnect', exact: true }).click();
      await expect(page.getByRole('heading', { name: 'Continue as Alex Admin' })).toBeVisible();
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page).toHaveURL(/\/accounts\?status=needs_reauth(#_)?$/);
      await expect(page.getByRole('status')).toHaveText('Reconnected 3 accounts');
      await page.goto('/accounts');
      await expect(page.getByRole('row', { name: /Acme Bakery/ })).toContainText('Active');
      await expect(page.getByRole('row', { name: /acmebakery/ })).toContainText('Active');
    });

    test('a user Meta invalidated shows Needs Reauthorization after refresh --once, and Reconnect fixes it', async ({ page, request }) => {
      seedUser(server(), OWNER);
      await signInAndConnect(page);
      // Alex Admin changes their Facebook password: Meta invalidates their tokens (subcode 460).
      const invalidated = await request.post(
        `${server().baseURL}/sandbox/_control/users/10000000000000001/invalidate`,
        { data: { subcode: 460 } },
      );
      expect(invalidated.status()).toBe(204);
      expect(refreshOnce(server())).toContain('needs reauthorization 3');

      await page.goto('/accounts?status=needs_reauth');
      const acme = page.getByRole('row', { name: /Acme Bakery/ });
      await expect(acme).toContainText('Password changed on Facebook');
      await acme.getByRole('button', { name: 'Reconnect', exact: true }).click();
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page.getByRole('status')).toHaveText('Reconnected 3 accounts');
      await page.goto('/accounts');
      await expect(page.getByRole('row', { name: /Acme Bakery/ })).toContainText('Active');
    });
  });
}
