import { expect, test } from "./fixtures";
import { countAs, expectMenu, MENU, signIn, type MenuKey } from "./helpers";

interface RoleCase {
  email: string;
  role: { zh: string; en: string };
  /** Where the role applies, as the greeting card shows it. */
  scope: { zh: string; en: string };
  menu: MenuKey[];
  /** A page this role must not open: typing its address shows 403. */
  forbidden?: string;
}

const CASES: RoleCase[] = [
  {
    email: "admin@demo.test",
    role: { zh: "管理员", en: "Administrator" },
    scope: { zh: "全集团", en: "Group-wide" },
    menu: ["home", "members", "stored_value_cards", "business_units", "benefit_definitions", "marketing_menu", "tiers", "approvals", "dashboards", "settlement", "staff", "audit_log", "imports", "api_keys", "notification_templates", "webhook_subscriptions", "builder", "rules"],
  },
  {
    email: "staff@demo.test",
    role: { zh: "业务人员", en: "Staff" },
    scope: { zh: "星河购物中心", en: "Galaxy Mall" },
    menu: ["home", "members", "counter", "stored_value_cards", "business_units", "benefit_definitions", "marketing_menu", "tiers", "approvals", "imports"],
    forbidden: "/staff",
  },
  {
    email: "manager@demo.test",
    role: { zh: "经理", en: "Manager" },
    scope: { zh: "星河酒店", en: "Galaxy Hotel" },
    menu: ["home", "members", "counter", "stored_value_cards", "business_units", "benefit_definitions", "marketing_menu", "tiers", "approvals", "dashboards", "settlement", "imports"],
    forbidden: "/audit-log",
  },
  {
    email: "director@demo.test",
    role: { zh: "总监", en: "Director" },
    scope: { zh: "全集团", en: "Group-wide" },
    menu: ["home", "members", "stored_value_cards", "business_units", "benefit_definitions", "marketing_menu", "tiers", "approvals", "dashboards", "settlement", "audit_log", "imports", "notification_templates", "rules"],
    forbidden: "/staff",
  },
  {
    email: "analyst@demo.test",
    role: { zh: "分析师", en: "Analyst" },
    scope: { zh: "全集团", en: "Group-wide" },
    menu: ["home", "members", "stored_value_cards", "business_units", "marketing_menu", "tiers", "dashboards", "rules"],
    forbidden: "/approvals",
  },
  {
    email: "finance@demo.test",
    role: { zh: "财务", en: "Finance" },
    scope: { zh: "全集团", en: "Group-wide" },
    menu: ["home", "members", "business_units", "marketing_menu", "tiers", "settlement"],
    forbidden: "/approvals",
  },
  {
    email: "mall.finance@demo.test",
    role: { zh: "财务", en: "Finance" },
    scope: { zh: "星河购物中心", en: "Galaxy Mall" },
    menu: ["home", "members", "business_units", "marketing_menu", "tiers", "settlement"],
    forbidden: "/dashboards",
  },
  {
    email: "marketing@demo.test",
    role: { zh: "营销运营", en: "Marketing & operations" },
    scope: { zh: "全集团", en: "Group-wide" },
    menu: ["home", "members", "business_units", "benefit_definitions", "marketing_menu", "tiers", "approvals", "notification_templates", "builder", "rules"],
    forbidden: "/dashboards",
  },
];

for (const c of CASES) {
  test(`${c.email}: menu, home numbers, English, sign-out`, async ({ page }) => {
    await signIn(page, c.email);

    // Home: greeting, role, and the member count the database gives this user.
    await expect(page.getByRole("heading", { name: /^您好，.+/ })).toBeVisible();
    await expect(page.getByText(`${c.role.zh} · ${c.scope.zh}`, { exact: true })).toBeVisible();
    await expectMenu(page, "zh", c.menu);
    const members = await countAs(c.email, "member_directory");
    await expect(page.getByRole("region", { name: "会员总数" })).toHaveText(
      new RegExp(`^会员总数\\s*${members.toLocaleString("en-US")}$`),
    );

    // Buttons follow the matrix too: only admins may create business units.
    await page.getByRole("menu").getByRole("link", { name: MENU.zh.business_units, exact: true }).click();
    await expect(page.getByRole("heading", { name: "业态管理" })).toBeVisible();
    const create = page.getByRole("button", { name: /新建/ });
    if (c.menu.includes("staff")) await expect(create).toBeVisible();
    else await expect(create).toHaveCount(0);

    if (c.forbidden) {
      await page.goto(c.forbidden);
      await expect(page.getByText("您没有访问此页面的权限")).toBeVisible();
    }

    // English, remembered across a reload.
    await page.getByRole("button", { name: "English" }).click();
    await expectMenu(page, "en", c.menu);
    await page.goto("/");
    await expect(page.getByRole("heading", { name: /^Hello, .+/ })).toBeVisible();
    await expect(page.getByText(`${c.role.en} · ${c.scope.en}`, { exact: true })).toBeVisible();
    await expectMenu(page, "en", c.menu);

    // Sign out: back to the (English) login page, and the app is closed again.
    await page.getByRole("menu").getByRole("menuitem", { name: MENU.en.logout }).click();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("heading", { name: "Sign in to Membership Hub" })).toBeVisible();
    await page.goto("/");
    await expect(page).toHaveURL(/\/login/);
  });
}
