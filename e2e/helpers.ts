import { expect, type Page } from "@playwright/test";
import { apiKeys, gatewayUrl } from "../stack/config.ts";

export const PASSWORD = "demo123456";

/** Menu labels in menu order (see app/resources.tsx), per language. */
export const MENU = {
  zh: {
    home: "首页",
    members: "会员",
    business_units: "业态",
    tiers: "会员等级",
    approvals: "审批中心",
    dashboards: "数据看板",
    staff: "员工与角色",
    audit_log: "审计日志",
    logout: "退出登录",
  },
  en: {
    home: "Home",
    members: "Members",
    business_units: "Business Units",
    tiers: "Tiers",
    approvals: "Approvals",
    dashboards: "Dashboards",
    staff: "Staff & Roles",
    audit_log: "Audit Log",
    logout: "Sign out",
  },
} as const;

export type MenuKey = Exclude<keyof (typeof MENU)["zh"], "logout">;
export const ALL_MENU: MenuKey[] = ["home", "members", "business_units", "tiers", "approvals", "dashboards", "staff", "audit_log"];

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel(/^(邮箱|Email)$/).fill(email);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole("button", { name: /^(登\s?录|Sign in)$/ }).click();
}

/** The sider menu: exactly these entries, in this order, then the sign-out item. */
export async function expectMenu(page: Page, lang: "zh" | "en", keys: MenuKey[]) {
  const menu = page.getByRole("menu");
  await expect(menu.getByRole("menuitem")).toHaveText([...keys.map((key) => MENU[lang][key]), MENU[lang].logout]);
  for (const key of ALL_MENU.filter((k) => !keys.includes(k))) {
    await expect(menu.getByRole("link", { name: MENU[lang][key], exact: true })).toHaveCount(0);
  }
}

/** REST access signed in as `email`, to read what the app should be showing (RLS included). */
export async function apiAs(email: string) {
  const url = process.env.SUPABASE_TEST_URL ?? gatewayUrl();
  const anonKey = process.env.ANON_KEY ?? (await apiKeys()).anonKey;
  const auth = await fetch(`${url}/auth/v1/token?grant_type=password`, {
    method: "POST",
    headers: { apikey: anonKey, "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!auth.ok) throw new Error(`sign-in as ${email} failed: ${auth.status} ${await auth.text()}`);
  const { access_token: token } = (await auth.json()) as { access_token: string };
  const headers = { apikey: anonKey, authorization: `Bearer ${token}` };
  return {
    /** GET /rest/v1/<path>; returns the rows and the exact total. */
    async get<T = Record<string, unknown>>(path: string): Promise<{ rows: T[]; total: number }> {
      const response = await fetch(`${url}/rest/v1/${path}`, { headers: { ...headers, prefer: "count=exact" } });
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      const total = Number(response.headers.get("content-range")?.split("/")[1] ?? NaN);
      return { rows: (await response.json()) as T[], total };
    },
  };
}

export async function countAs(email: string, table: string) {
  const api = await apiAs(email);
  return (await api.get(`${table}?select=id&limit=1`)).total;
}
