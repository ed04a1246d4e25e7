// The first-run + sign-in/sign-out flow, shared by auth.spec.ts (JavaScript on)
// and auth-nojs.spec.ts (JavaScript off) so both prove the same behaviour.
// Each test gets its own fresh server and browser context, and sets up who exists itself.
import type { Page } from '@playwright/test';
import { expect, seedUser, test, useServer } from '../fixtures/server';

const WORKSPACE = 'Acme Social';
const EMAIL = 'olive@example.com';
const PASSWORD = 'correct horse battery staple';
const BAD_LOGIN = 'Incorrect email or password.';
// Redirects may carry a query string (e.g. ?next=...), so only the path is pinned.
const ON_LOGIN = /\/login(\?.*)?$/;
const ON_ACCOUNTS = /\/accounts$/;
const OWNER = { email: EMAIL, name: 'Olive Owner', password: PASSWORD, role: 'owner' as const, workspace: WORKSPACE };

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Registers the flow's tests inside `test.describe(title)`; call once per spec file. */
export function defineAuthFlow(title: string) {
  test.describe(title, () => {
    const server = useServer();

    test('first run: setup creates the workspace, then sign out', async ({ page }) => {
      await page.goto('/');
      await expect(page).toHaveURL(/\/setup$/);

      await page.getByLabel('Workspace name', { exact: true }).fill(WORKSPACE);
      await page.getByLabel('Your name', { exact: true }).fill('Olive Owner');
      await page.getByLabel('Email', { exact: true }).fill(EMAIL);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Create workspace', exact: true }).click();

      await expect(page).toHaveURL(ON_ACCOUNTS);
      await expect(page.locator('header').getByText(WORKSPACE, { exact: true })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
      await expect(page.getByRole('heading', { name: /Welcome/ })).toBeVisible();

      const setupAgain = await page.goto('/setup');
      expect(setupAgain?.status()).toBe(404);

      await page.goto('/accounts');
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await expect(page).toHaveURL(ON_LOGIN);
      await expect(page.getByText("You're signed out.")).toBeVisible();

      await page.goto('/accounts');
      await expect(page).toHaveURL(ON_LOGIN);
    });

    test('setup is gone for signed-out visitors too', async ({ page }) => {
      seedUser(server(), OWNER);
      const res = await page.goto('/setup');
      expect(res?.status()).toBe(404);
    });

    test('wrong password and unknown email get the same message', async ({ page }) => {
      seedUser(server(), OWNER);
      await page.goto('/login');

      await signIn(page, EMAIL, 'wrong password');
      await expect(page.getByText(BAD_LOGIN)).toBeVisible();
      await expect(page).toHaveURL(ON_LOGIN);

      await page.goto('/login');
      await signIn(page, 'nobody@example.com', PASSWORD);
      await expect(page.getByText(BAD_LOGIN)).toBeVisible();
      await expect(page).toHaveURL(ON_LOGIN);
    });

    test('right credentials sign in', async ({ page }) => {
      seedUser(server(), OWNER);
      await page.goto('/login');
      await signIn(page, EMAIL, PASSWORD);
      await expect(page).toHaveURL(ON_ACCOUNTS);
      await expect(page.locator('header').getByText(WORKSPACE, { exact: true })).toBeVisible();
    });

    test('the password never appears in server logs', async ({ page }) => {
      seedUser(server(), OWNER);
      await page.goto('/login');
      await signIn(page, EMAIL, 'a wrong one first');
      await expect(page.getByText(BAD_LOGIN)).toBeVisible();
      await page.goto('/login');
      await signIn(page, EMAIL, PASSWORD);
      await expect(page).toHaveURL(ON_ACCOUNTS);
      // The server logs at info, so there is something to read.
      expect(server().logs()).toContain('Switchboard is listening');
      expect(server().logs()).not.toContain(PASSWORD);
    });
  });
}
