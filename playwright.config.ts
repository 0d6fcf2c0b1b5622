import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests against a running stack (`npm start`): the test runner starts it, so there is
 * no webServer here. APP_URL points at the Vite app (default: the local stack's port).
 */
export default defineConfig({
  testDir: "e2e",
  // A guard against hangs, generous for slower machines; speed is measured in bench/, never here.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  // On CI a failed test runs once more (the list then names it flaky): a click lost on a loaded two-core machine
  // must not decide a submission; a test that fails twice still fails the run.
  retries: process.env.CI ? 1 : 0,
  fullyParallel: false,
  // npm test also asks for the JSON report (PLAYWRIGHT_JSON_OUTPUT_NAME) to sum up failures at the end of its output.
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : "list",
  // A run on another port base (TEST_PORT_BASE) keeps its traces and screenshots apart from the default run's.
  outputDir: process.env.TEST_PORT_BASE ? `test-results-${process.env.TEST_PORT_BASE}` : "test-results",
  use: {
    ...devices["Desktop Chrome"],
    baseURL: process.env.APP_URL ?? "http://127.0.0.1:54323",
    locale: "zh-CN",
    viewport: { width: 1440, height: 900 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
});
