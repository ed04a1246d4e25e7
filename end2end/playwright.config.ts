// Playwright config for Switchboard's browser tests. Uses Debian's system
// Chromium (no browser download is possible here) and no global webServer:
// every spec file starts its own server + database via fixtures/server.ts.
import { defineConfig, devices } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  workers: 1, // 2-core machine; the Rust server and Chromium share it
  fullyParallel: false,
  retries: 0,
  reporter: 'list',
  timeout: 30_000,
  forbidOnly: !!process.env.CI,
  use: {
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
});
