// Accessibility in a real browser: axe (@axe-core/playwright) finds no violation on any page —
// public and signed-in, empty and lived-in, the phone menu open — in the light and the dark
// theme, on a laptop (1280×800) and a phone (390×844). Then what axe can't judge: the skip
// link, the one-line header, and the phone menu used with the keyboard alone.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test, useServer } from '../fixtures/server';
import { OWNER, showcase, signIn } from './showcase';
import { seedUser } from '../fixtures/server';

const VIEWPORTS = {
  laptop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

/** Every violation axe finds on the page as it is now, as readable lines (empty when none). */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map(
    (v) => `${page.url()} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

test.describe('accessibility', () => {
  const server = useServer();

  for (const scheme of ['light', 'dark'] as const) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      test(`no page has an axe violation (${scheme} theme, ${device})`, async ({ page, request }) => {
        test.setTimeout(120_000);
        await page.setViewportSize(viewport);
        await page.emulateMedia({ colorScheme: scheme });
        const found: string[] = [];
        const check = async (path: string) => {
          await page.goto(path);
          found.push(...(await violations(page)));
        };

        // Before anyone exists: first run, then the empty workspace's welcome panels.
        await check('/setup');
        const ids = await showcase(page, server(), request);
        const pages = [
          '/accounts', '/accounts?status=all', '/accounts?status=needs_reauth&q=nothing-matches',
          `/accounts/${ids['Acme Bakery']}`, `/accounts/${ids['acmebakery']}`,
          `/accounts/${ids['Acme Bakery']}/disconnect?from=/accounts`,
          `/accounts/${ids['creator.cat']}/delete`,
          '/compose', '/posts', '/settings/integrations', '/settings/members', '/settings/account',
          '/settings/workspace', '/settings/activity', '/settings/activity?kind=nothing&person=0',
          '/workspaces/new', '/logout', '/no-such-page',
        ];
        for (const path of pages) await check(path);
        if (device === 'phone') {
          await page.goto('/accounts');
          await page.getByText('Menu', { exact: true }).click();
          await expect(page.getByRole('link', { name: 'Members', exact: true })).toBeVisible();
          found.push(...(await violations(page)));
        }
        await page.goto('/accounts');
        if (device === 'phone') await page.getByText('Menu', { exact: true }).click();
        await page.getByRole('button', { name: 'Sign out', exact: true }).click();
        await expect(page).toHaveURL(/\/login/);
        found.push(...(await violations(page)));
        await check('/data-deletion/unknown-code');

        expect(found).toEqual([]);
      });
    }
  }

  test('the skip link is the first stop and moves focus to the content', async ({ page }) => {
    seedUser(server(), OWNER);
    await signIn(page);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#main$/);
    await expect(page.locator('main')).toBeFocused();
    // The next Tab lands inside the content, past the header.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);
  });

  test('the header fits one line at 1280px, with and without the workspace switcher', async ({ page }) => {
    seedUser(server(), OWNER);
    await page.setViewportSize(VIEWPORTS.laptop);
    await signIn(page);
    const fitsOneLine = async () => {
      const boxes = await page.getByRole('banner').locator('a, button, select, .nav-group').evaluateAll((els) =>
        els.filter((e) => e.getClientRects().length > 0 && e.getBoundingClientRect().width > 1)
          .map((e) => e.getBoundingClientRect()),
      );
      expect(boxes.length).toBeGreaterThan(10);
      const width = await page.evaluate(() => document.documentElement.clientWidth);
      const middle = (box: DOMRect) => box.top + box.height / 2;
      for (const box of boxes) {
        expect(box.right).toBeLessThanOrEqual(width);
        expect(Math.abs(middle(box) - middle(boxes[0]))).toBeLessThan(6);
      }
      // No box overlaps the next one.
      const sorted = [...boxes].sort((a, b) => a.left - b.left);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i].left).toBeGreaterThanOrEqual(sorted[i - 1].right - 1);
      await expect(page.getByText('Menu', { exact: true })).toBeHidden();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    };
    await fitsOneLine();
    // A second workspace brings the switcher (a select and Switch) into the header.
    await page.goto('/workspaces/new');
    await page.getByLabel('Workspace name').fill('Northside Community Garden');
    await page.getByRole('button', { name: 'Create workspace', exact: true }).click();
    await expect(page.getByLabel('Workspace', { exact: true })).toBeVisible();
    await fitsOneLine();
    expect(await violations(page)).toEqual([]);
  });

  test('on a phone the menu opens, and is used, with the keyboard alone', async ({ page }) => {
    seedUser(server(), OWNER);
    await page.setViewportSize(VIEWPORTS.phone);
    await signIn(page);
    const members = page.getByRole('link', { name: 'Members', exact: true });
    await expect(members).toBeHidden();
    const menu = page.locator('summary', { hasText: 'Menu' });
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect(members).toBeVisible();
    // Tab through the menu to Members and follow it.
    for (let i = 0; i < 20 && !(await members.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    await expect(members).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/settings\/members$/);
    await expect(page.getByRole('heading', { name: 'Members', level: 1 })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  test("the accounts table's header row stays in view while the rows scroll", async ({ page, request }) => {
    test.setTimeout(60_000);
    await showcase(page, server(), request);
    await page.setViewportSize({ width: 1280, height: 400 });
    await page.goto('/accounts?status=all');
    await page.mouse.wheel(0, 400);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
    const header = page.getByRole('columnheader', { name: 'Account Name' });
    await expect.poll(() => header.evaluate((th) => Math.round(th.getBoundingClientRect().top))).toBe(0);
  });

  /** Presses Tab until the focused element is `name` (a button or link); fails after 60 stops. */
  async function tabTo(page: Page, name: string) {
    for (let stop = 0; stop < 60; stop++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el ? (el.innerText || el.getAttribute('value') || el.getAttribute('aria-label') || '').trim() : '';
      });
      if (focused === name) return;
    }
    throw new Error(`Tab never reached "${name}"`);
  }

  test('connecting works with the keyboard alone, through the consent screen and back', async ({ page }) => {
    test.setTimeout(60_000);
    seedUser(server(), OWNER);
    await signIn(page);
    await page.goto('/accounts');
    await tabTo(page, 'Connect Meta Account');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/sandbox\/facebook\/v25\.0\/dialog\/oauth\?/);
    await expect(page.getByRole('heading', { name: 'Continue as Alex Admin' })).toBeVisible();
    await tabTo(page, 'Continue');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status')).toHaveText('Connected 3 accounts');
  });

  test('disconnecting works with the keyboard alone', async ({ page, request }) => {
    test.setTimeout(60_000);
    await showcase(page, server(), request);
    await page.goto('/settings/integrations');
    const disconnect = page.getByRole('table').first().getByRole('row', { name: /Side Project/ })
      .getByRole('button', { name: 'Disconnect', exact: true });
    await disconnect.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Disconnect Side Project?' })).toBeVisible();
    await page.getByRole('button', { name: 'Yes, disconnect', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status')).toContainText('Disconnected Side Project');
  });
});
