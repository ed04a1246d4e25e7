// The whole browser flow while Meta fails, shared by faults.spec.ts (JavaScript on) and
// faults-nojs.spec.ts (off). The sandbox's control API plans each failure just before the step
// it spoils: the person sees what happened in words, nothing half-done is shown, and trying
// again works. Sign in, connect (the token endpoint down, then two unreadable answers), connect
// for real, disconnect while Meta's revoke endpoint is down, reconnect, and
// publish while one Page's feed is down.
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, seedUser, test, useServer, type Server } from '../fixtures/server';

const OWNER = { email: 'fay@example.com', name: 'Fay Faults', password: 'faults are friends 42', role: 'owner' as const };

/** Plans the sandbox to answer the next call whose path matches `path` with `failure`. */
async function failNext(request: APIRequestContext, server: Server, path: string, failure: object) {
  const planned = await request.post(`${server.baseURL}/sandbox/_control/failures`, {
    data: { path, times: 1, failure },
  });
  expect(planned.status()).toBe(201);
}

async function pressConnect(page: Page) {
  await page.goto('/settings/integrations');
  await page.getByRole('button', { name: 'Connect Meta Account', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Continue as Alex Admin' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
}

export function defineFaultsFlow(title: string) {
  test.describe(title, () => {
    const server = useServer();

    test('Meta failing at each step is said in words, loses nothing, and trying again works', async ({ page, request }) => {
      seedUser(server(), OWNER);
      await page.goto('/login');
      await page.getByLabel('Email', { exact: true }).fill(OWNER.email);
      await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(page).toHaveURL(/\/accounts$/);

      // Connect: three ways Meta can fail on the callback's calls, each with its own words.
      const failures: [string, object, RegExp, string][] = [
        ['*/oauth/access_token', { kind: 'http_500' }, /error=provider_unavailable$/, 'Facebook is temporarily unavailable.'],
        ['*/me/accounts', { kind: 'malformed_json' }, /error=provider_error$/,
          "Facebook returned an answer we couldn't use. Please try connecting again."],
        ['*/debug_token', { kind: 'html' }, /error=provider_error$/,
          "Facebook returned an answer we couldn't use. Please try connecting again."],
      ];
      for (const [path, failure, url, message] of failures) {
        await failNext(request, server(), path, failure);
        await pressConnect(page);
        await expect(page).toHaveURL(url);
        await expect(page.getByRole('alert')).toContainText(message);
        await expect(page.getByRole('cell', { name: 'Acme Bakery', exact: true })).toHaveCount(0);
      }
      await pressConnect(page);
      await expect(page.getByRole('status')).toHaveText('Connected 3 accounts');

      // Disconnect while Meta's revoke endpoint is down: the tokens go at once all the same.
      // Alex Admin's app-scoped id: only the relay's DELETE, not the reconnect's own calls.
      await failNext(request, server(), '*/10000000000000001/permissions', { kind: 'http_500' });
      await page
        .getByRole('table')
        .first()
        .getByRole('row', { name: /Side Project/ })
        .getByRole('button', { name: 'Disconnect', exact: true })
        .click();
      await page.getByRole('button', { name: 'Yes, disconnect', exact: true }).click();
      await expect(page.getByRole('status')).toHaveText('Disconnected Side Project.');
      await page
        .getByRole('region', { name: 'Disconnected profiles' })
        .getByRole('row', { name: /Side Project/ })
        .getByRole('button', { name: 'Reconnect', exact: true })
        .click();
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page.getByRole('status')).toHaveText('Reconnected 3 accounts');

      // Publish while Side Project's feed is down: Acme Bakery is published, Side Project not,
      // and the posts list says which.
      await failNext(request, server(), '*/2222/feed', { kind: 'http_500' });
      await page.getByRole('link', { name: 'Compose', exact: true }).click();
      await page.getByLabel('Message', { exact: true }).fill('Rye on Tuesdays');
      await page.getByLabel('Acme Bakery', { exact: true }).check();
      await page.getByLabel('Side Project', { exact: true }).check();
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await expect(page).toHaveURL(/\/posts$/);
      await expect(page.getByRole('status')).toContainText('Published to Acme Bakery.');
      const rows = page.getByRole('row').filter({ hasText: 'Rye on Tuesdays' });
      await expect(rows).toHaveCount(2);
      await expect(rows.filter({ hasText: 'Acme Bakery' })).toContainText('Published');
      // A 500 after the request was sent: Meta may have posted it, so it is Failed (for a person
      // to check and re-queue), never silently sent again.
      await expect(rows.filter({ hasText: 'Side Project' })).toContainText('Failed');
      expect(server().logs()).not.toContain('panicked');
    });
  });
}
