/**
 * Retakes the README's screenshots from a running `npm start` stack (APP_URL, default the local app):
 *   npx tsx docs/screenshots.ts              every shot
 *   npx tsx docs/screenshots.ts dashboard    only the named ones
 */
import { chromium, type Page } from "@playwright/test";
import path from "node:path";
import { fileURLToPath } from "node:url";

const DOCS = path.dirname(fileURLToPath(import.meta.url));
const APP_URL = process.env.APP_URL ?? "http://127.0.0.1:54323";

async function signIn(page: Page, email: string) {
  await page.goto(`${APP_URL}/login`);
  await page.getByLabel(/^(邮箱|Email)$/).fill(email);
  await page.getByLabel(/^(密码|Password)$/).fill("demo123456");
  await page.getByRole("button", { name: /^(登\s?录|Sign in)$/ }).click();
  await page.getByRole("menu").waitFor();
}

const ONLY = process.argv.slice(2);
const wanted = (name: string) => ONLY.length === 0 || ONLY.includes(name);

async function shot(page: Page, name: string) {
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(DOCS, `screenshot-${name}.png`) });
  console.log(`docs/screenshot-${name}.png`);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const page = await browser.newPage({ locale: "zh-CN", viewport: { width: 1440, height: 900 } });
  if (wanted("home") || wanted("member-360") || wanted("builder")) await signIn(page, "admin@demo.test");
  if (wanted("home")) await shot(page, "home");

  if (wanted("member-360")) {
    await page.goto(`${APP_URL}/members`);
    await page.getByRole("row").nth(1).getByRole("link").first().click();
    await page.getByText(/积分余额/).first().waitFor();
    await shot(page, "member-360");
  }

  if (wanted("builder")) {
    await page.goto(`${APP_URL}/builder/forms/member`);
    await page.getByText(/字段|组件/).first().waitFor();
    await shot(page, "builder");
  }

  // A seeded earning rule in the visual rule editor, with its test bench below.
  if (wanted("rule-editor")) {
    const marketing = await browser.newPage({ locale: "zh-CN", viewport: { width: 1440, height: 1100 } });
    await signIn(marketing, "marketing@demo.test");
    await marketing.goto(`${APP_URL}/rules/show/hotel-stay-double`);
    await marketing.getByTestId("visual-editor").waitFor();
    await shot(marketing, "rule-editor");
  }

  // The hotel manager's approval queue, with a request open (the demo seed leaves two waiting).
  if (wanted("approvals")) {
    const manager = await browser.newPage({ locale: "zh-CN", viewport: { width: 1440, height: 900 } });
    await signIn(manager, "manager@demo.test");
    await manager.goto(`${APP_URL}/approvals`);
    await manager.locator(".ant-table-tbody .ant-table-row").first().getByRole("button").first().click();
    await manager.getByText("审批进度").waitFor();
    await shot(manager, "approvals");
  }

  // The analyst's points overview, last 90 days by week.
  if (wanted("dashboard")) {
    const analyst = await browser.newPage({ locale: "zh-CN", viewport: { width: 1440, height: 1100 } });
    await signIn(analyst, "analyst@demo.test");
    await analyst.goto(`${APP_URL}/dashboards/points-overview`);
    await analyst.locator(".recharts-bar-rectangle").first().waitFor();
    await shot(analyst, "dashboard");
  }
  await browser.close();
}

main().catch((error: Error) => {
  console.error(`screenshots failed: ${error.message}`);
  process.exit(1);
});
