// A lived-in workspace for the accessibility and screenshot specs (a11y.spec.ts,
// screenshots.spec.ts): Pages, Instagram and Threads accounts through the sandbox, one Page
// that needs reauthorization, one disconnected profile and two published posts — so every
// page shows its real states, not just its empty ones.
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, seedUser, type Server } from '../fixtures/server';

export const OWNER = { email: 'olive@example.com', name: 'Olive Owner', password: 'correct horse battery staple', role: 'owner' as const };
const BEA_BUSINESS = '10000000000000004';

export async function signIn(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(OWNER.email);
  await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/accounts$/);
}

async function consent(page: Page, button: string, as?: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  if (as) {
    await page.getByRole('link', { name: 'Not you?' }).click();
    await page.getByRole('link', { name: as }).or(page.getByRole('button', { name: as })).first().click();
  }
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('status')).toContainText(/Connected \d+ account/);
}

/** Seeds Olive Owner, signs in and fills the workspace. Answers each account's id by name. */
export async function showcase(page: Page, server: Server, request: APIRequestContext): Promise<Record<string, string>> {
  seedUser(server, OWNER);
  await signIn(page);
  await page.goto('/settings/integrations');
  await consent(page, 'Connect Meta Account');
  await consent(page, 'Connect Meta', 'Bea Business');
  await consent(page, 'Connect Instagram');
  await consent(page, 'Connect Instagram', 'creator.cat');
  await consent(page, 'Connect Threads');

  // Bea removes the app on Facebook: Portfolio Page needs reauthorization, with the reason.
  const delivered = await request.post(`${server.baseURL}/sandbox/_control/signed_requests`, {
    data: { product: 'facebook', callback: 'deauthorize', user_id: BEA_BUSINESS, deliver: true },
  });
  expect(delivered.ok()).toBeTruthy();

  // creator.cat is disconnected on purpose.
  await page.goto('/settings/integrations');
  await page.getByRole('table').first().getByRole('row', { name: /creator\.cat/ })
    .getByRole('button', { name: 'Disconnect', exact: true }).click();
  await page.getByRole('button', { name: 'Yes, disconnect', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Disconnected creator.cat');

  await page.goto('/compose');
  await page.getByLabel('Message', { exact: true }).fill('Fresh sourdough from 9am — come early, it goes fast!');
  await page.getByLabel('Acme Bakery', { exact: true }).check();
  await page.getByLabel('Side Project', { exact: true }).check();
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page).toHaveURL(/\/posts$/);

  await page.goto('/accounts?status=all');
  const links = await page.getByRole('table').locator('tbody tr td:first-child a').evaluateAll((as) =>
    as.map((a) => [a.textContent ?? '', (a as HTMLAnchorElement).pathname.split('/').pop() ?? '']),
  );
  return Object.fromEntries(links);
}
