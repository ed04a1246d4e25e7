// Screenshots of the main pages, taken against the sandbox with a lived-in workspace (see
// showcase.ts): laptop 1280×800 in the light and dark theme, and a phone 390×844 with its menu
// closed and open. They land in the test's output folder; with SCREENSHOTS_DIR set they are
// written there instead — `SCREENSHOTS_DIR=../docs/screenshots npx playwright test
// screenshots` refreshes the README's pictures.
import type { Page } from '@playwright/test';
import path from 'node:path';
import { expect, test, useServer } from '../fixtures/server';
import { showcase } from './showcase';

test.describe('screenshots', () => {
  const server = useServer();

  test('the main pages, on a laptop and a phone', async ({ page, request }, testInfo) => {
    test.setTimeout(120_000);
    const dir = process.env.SCREENSHOTS_DIR ? path.resolve(process.env.SCREENSHOTS_DIR) : testInfo.outputPath();
    const shoot = async (name: string) => {
      // Screenshots are of a settled page: no caret blinking in a focused field.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.screenshot({ path: path.join(dir, `${name}.png`) });
    };
    const visit = async (p: Page, url: string, heading: string) => {
      await p.goto(url);
      await expect(p.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    };

    const ids = await showcase(page, server(), request);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'light' });

    await visit(page, '/accounts?status=all', 'Accounts');
    await shoot('accounts');
    await visit(page, `/accounts/${ids['Acme Bakery']}`, 'Account');
    await shoot('account-detail');
    await visit(page, '/settings/integrations', 'Integrations');
    await shoot('integrations');
    await visit(page, '/compose', 'Compose');
    await page.getByLabel('Message', { exact: true }).fill('Pumpkin loaves are back this weekend!');
    await page.getByLabel('Acme Bakery', { exact: true }).check();
    await page.getByLabel('acme.threads', { exact: true }).check();
    await shoot('compose');
    await visit(page, '/posts', 'Posts');
    await shoot('posts');
    await visit(page, `/accounts/${ids['Acme Bakery']}/disconnect?from=/accounts`, 'Disconnect');
    await shoot('confirm-disconnect');

    await page.emulateMedia({ colorScheme: 'dark' });
    await visit(page, '/accounts?status=all', 'Accounts');
    await shoot('accounts-dark');

    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 390, height: 844 });
    await visit(page, '/accounts?status=all', 'Accounts');
    await shoot('phone-accounts');
    await page.getByText('Menu', { exact: true }).click();
    await expect(page.getByRole('link', { name: 'Members', exact: true })).toBeVisible();
    await shoot('phone-menu');
  });
});
