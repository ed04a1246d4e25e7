// Progressive enhancement (public/app.js), with JavaScript on and off: filter selects apply
// themselves, relative times keep ticking, and Your account offers the browser's time zone —
// while without JavaScript the same pages work as plain forms and server-written text.
import { expect, test, useServer } from '../fixtures/server';
import { seedUser } from '../fixtures/server';
import { OWNER, showcase, signIn } from './showcase';

test.describe('with JavaScript', () => {
  const server = useServer();
  test.use({ timezoneId: 'Europe/Berlin' });

  test('the activity filters apply themselves when a select changes', async ({ page }) => {
    seedUser(server(), OWNER);
    await signIn(page);
    await page.goto('/settings/activity');
    await page.getByLabel('Kind').selectOption({ label: 'Signed in' });
    await expect(page).toHaveURL(/kind=session\.signed_in/);
    await expect(page.getByRole('cell', { name: 'Signed in', exact: true }).first()).toBeVisible();
  });

  test('Last Used keeps ticking without a reload', async ({ page, request }) => {
    test.setTimeout(60_000);
    await showcase(page, server(), request);
    await page.clock.install();
    await page.goto('/accounts');
    const row = page.getByRole('row', { name: /Side Project/ });
    await expect(row).toContainText('just now');
    await page.clock.fastForward('03:00');
    await expect(row).toContainText('3 minutes ago');
  });

  test("Your account offers the browser's time zone, and Save keeps it", async ({ page }) => {
    seedUser(server(), OWNER);
    await signIn(page);
    await page.goto('/settings/account');
    const zone = page.locator('select[name="time_zone"]');
    await expect(zone).toHaveValue('UTC');
    await page.getByRole('button', { name: "Use this browser's time zone (Europe/Berlin)" }).click();
    await expect(zone).toHaveValue('Europe/Berlin');
    await expect(zone).toBeFocused();
    await page.getByRole('button', { name: 'Save time zone', exact: true }).click();
    await expect(page.getByRole('status')).toBeVisible();
    await page.goto('/settings/account');
    await expect(page.locator('select[name="time_zone"]')).toHaveValue('Europe/Berlin');
    // Saved: nothing left to offer.
    await expect(page.getByRole('button', { name: /Use this browser's time zone/ })).toHaveCount(0);
  });
});

test.describe('without JavaScript', () => {
  const server = useServer();
  test.use({ javaScriptEnabled: false, timezoneId: 'Europe/Berlin' });

  test('filters wait for Apply, times are the server\'s, and no time zone is offered', async ({ page, request }) => {
    test.setTimeout(60_000);
    await showcase(page, server(), request);
    await page.goto('/accounts');
    await expect(page.getByRole('row', { name: /Side Project/ })).toContainText('just now');
    await page.getByLabel('Platform').selectOption('threads');
    await expect(page).toHaveURL(/\/accounts$/);
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(page).toHaveURL(/platform=threads/);
    await expect(page.getByRole('table').locator('tbody tr')).toHaveCount(1);

    await page.goto('/settings/account');
    await expect(page.locator('select[name="time_zone"]')).toHaveValue('UTC');
    await expect(page.getByRole('button', { name: /Use this browser's time zone/ })).toHaveCount(0);
  });
});
