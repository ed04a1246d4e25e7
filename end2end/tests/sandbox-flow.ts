// The Meta sandbox's consent screen in a real browser, shared by sandbox.spec.ts (JavaScript
// on) and sandbox-nojs.spec.ts (off): from the sandbox's own page to its Facebook Login dialog,
// which opens on the first test user's consent screen ("Not you?" leads to the others), then
// Continue (→ the app's callback with code and state) or Cancel (→ the documented denial
// parameters).
import type { Page } from '@playwright/test';
import { expect, test, useServer } from '../fixtures/server';

async function openDialogAs(page: Page, user: string) {
  await page.goto('/sandbox');
  await expect(page.getByText('not Facebook')).toBeVisible();
  await page.getByRole('link', { name: 'Open the Facebook Login dialog' }).click();
  await expect(page.getByRole('heading', { name: 'Continue as Alex Admin' })).toBeVisible();
  if (user !== 'Alex Admin') {
    await page.getByRole('link', { name: 'Not you?' }).click();
    await page.getByRole('link', { name: user }).click();
    await expect(page.getByRole('heading', { name: `Continue as ${user}` })).toBeVisible();
  }
}

export function defineSandboxFlow(title: string) {
  test.describe(title, () => {
    const server = useServer();

    test('Continue sends the browser to the app callback with code and state', async ({ page }) => {
      await openDialogAs(page, 'Alex Admin');
      await expect(page.getByLabel('Acme Bakery')).toBeChecked();
      await page.getByLabel('Side Project').uncheck();
      // The app's callback handler arrives with the connect feature; what matters here is
      // where the sandbox sends the browser.
      const callback = page.waitForRequest(/\/oauth\/meta\/callback\?/);
      await page.getByRole('button', { name: 'Continue' }).click();
      const url = new URL((await callback).url());
      expect(url.origin).toBe(server().baseURL);
      expect(url.searchParams.get('state')).toBe('sandbox-demo');
      expect(url.searchParams.get('code')).toMatch(/^AQB/);
    });

    test('Cancel sends the denial parameters', async ({ page }) => {
      await openDialogAs(page, 'Nora NoPages');
      const callback = page.waitForRequest(/\/oauth\/meta\/callback\?/);
      await page.getByRole('button', { name: 'Cancel' }).click();
      const url = new URL((await callback).url());
      expect(url.searchParams.get('error')).toBe('access_denied');
      expect(url.searchParams.get('error_reason')).toBe('user_denied');
      expect(url.searchParams.get('state')).toBe('sandbox-demo');
      expect(url.searchParams.get('code')).toBeNull();
    });
  });
}
