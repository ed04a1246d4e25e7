// Roles and members in the browser, shared by members.spec.ts (JavaScript on) and
// members-nojs.spec.ts (JavaScript off): an Owner adds a Manager and a Member; the Member
// sees the members but no controls, and a hand-made POST of the role form changes nothing.
import type { Page } from '@playwright/test';
import { expect, seedUser, test, useServer } from '../fixtures/server';

const OWNER = { email: 'olive@example.com', name: 'Olive Owner', password: 'correct horse battery staple' };
const MANAGER = { email: 'mia@example.com', name: 'Mia Manager', password: 'manager-password-1' };
const MEMBER = { email: 'max@example.com', name: 'Max Member', password: 'member-password-1' };

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/accounts$/);
}

async function addMember(page: Page, who: { email: string; name: string; password: string }, role: string) {
  const form = page.locator('section', { has: page.getByRole('heading', { name: 'Add member' }) });
  await form.getByLabel('Email', { exact: true }).fill(who.email);
  await form.getByLabel('Name', { exact: true }).fill(who.name);
  await form.getByLabel('Role', { exact: true }).selectOption({ label: role });
  await form.getByLabel('Password', { exact: true }).fill(who.password);
  await form.getByRole('button', { name: 'Add member', exact: true }).click();
  await expect(page.getByText(`Added ${who.email}.`)).toBeVisible();
}

export function defineMembersFlow(title: string) {
  test.describe(title, () => {
    const server = useServer();
    // The people tests 2 and 3 start from, as the first test makes them through the UI.
    const seedTeam = () => {
      seedUser(server(), { ...OWNER, role: 'owner' });
      seedUser(server(), { ...MANAGER, role: 'manager' });
      seedUser(server(), { ...MEMBER, role: 'member' });
    };

    test('an owner adds a manager and a member', async ({ page }) => {
      await page.goto('/setup');
      await page.getByLabel('Workspace name', { exact: true }).fill('Acme Social');
      await page.getByLabel('Your name', { exact: true }).fill('Olive Owner');
      await page.getByLabel('Email', { exact: true }).fill(OWNER.email);
      await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
      await page.getByRole('button', { name: 'Create workspace', exact: true }).click();
      await expect(page).toHaveURL(/\/accounts$/);

      await page.getByRole('link', { name: 'Members', exact: true }).click();
      await addMember(page, MANAGER, 'Manager');
      await addMember(page, MEMBER, 'Member');
      const rows = page.locator('tbody tr');
      await expect(rows).toHaveCount(3);
      await expect(page.locator('tr', { hasText: MANAGER.email })).toContainText('Manager');
      await expect(page.locator('tr', { hasText: MEMBER.email })).toContainText('Member');
    });

    test('the member sees the members but no member controls', async ({ page }) => {
      seedTeam();
      await signIn(page, MEMBER.email, MEMBER.password);
      await page.goto('/settings/members');
      await expect(page.locator('tr', { hasText: MANAGER.email })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Add member' })).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Reset password' })).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Remove' })).toHaveCount(0);
      await expect(page.getByRole('link', { name: 'Activity' })).toHaveCount(0);
    });

    test("a member's direct POST of the role form changes nothing", async ({ page, baseURL }) => {
      seedTeam();
      await signIn(page, MEMBER.email, MEMBER.password);
      // The form an Owner's page would post, sent by hand with the Member's session cookie.
      const response = await page.request.post('/api/change_role', {
        form: { user_id: '1', role: 'member' },
        headers: { Origin: baseURL!, Referer: `${baseURL}/settings/members`, Accept: 'text/html' },
        maxRedirects: 0,
      });
      expect(response.status()).toBe(302);
      await page.goto(response.headers()['location']);
      await expect(page.getByRole('alert')).toContainText("Your role doesn't allow managing members.");

      // The Owner is still Owner.
      await page.context().clearCookies();
      await signIn(page, OWNER.email, OWNER.password);
      await page.goto('/settings/members');
      await expect(page.locator('tr', { hasText: OWNER.email })).toContainText('Owner');
    });
  });
}
