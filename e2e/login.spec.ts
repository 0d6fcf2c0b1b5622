import { expect, test } from "./fixtures";
import { ADMIN_MENU, expectMenu, MENU, signIn } from "./helpers";

test("signed-out visitors are sent to the Chinese login page", async ({ page }) => {
  await page.goto("/members");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { name: "登录会员中台" })).toBeVisible();
  await expect(page.getByLabel("邮箱")).toBeVisible();
  await expect(page.getByLabel("密码")).toBeVisible();
});

/** The browser itself logs the refused sign-in (HTTP 400) that these tests provoke on purpose. */
const REFUSED_SIGN_IN = /status of 400 .*\/auth\/v1\/token\?grant_type=password\)$/;

test("a wrong password shows the server's error, localized", async ({ page, guard }) => {
  guard.allow(REFUSED_SIGN_IN);
  await signIn(page, "admin@demo.test", "not-the-password");
  await expect(page.getByRole("alert")).toContainText("邮箱或密码错误");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("menu")).toHaveCount(0);
});

test("the login page speaks English after the switch", async ({ page, guard }) => {
  guard.allow(REFUSED_SIGN_IN);
  await page.goto("/login");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Membership Hub" })).toBeVisible();
  await expect(page.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("button", { name: "中文" })).toHaveAttribute("aria-pressed", "false");
  await page.getByLabel("Email").fill("staff@demo.test");
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("Wrong email or password");
});

test("switching users in one tab leaves nothing of the previous user's access behind", async ({ page }) => {
  await signIn(page, "admin@demo.test");
  await expectMenu(page, "zh", ADMIN_MENU);
  await page.getByRole("menu").getByRole("menuitem", { name: MENU.zh.logout }).click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, "analyst@demo.test");
  await expect(page.getByText("分析师 · 全集团", { exact: true })).toBeVisible();
  await expectMenu(page, "zh", ["home", "members", "stored_value_cards", "business_units", "marketing_menu", "tiers", "dashboards", "rules"]);
  await page.goto("/staff");
  await expect(page.getByText("您没有访问此页面的权限")).toBeVisible();
});
