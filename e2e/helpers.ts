import { expect, type Locator, type Page } from "@playwright/test";
import pg from "pg";
import { apiKeys, gatewayUrl, superuserUrl } from "../stack/config.ts";

export const PASSWORD = "demo123456";

/** Menu labels in menu order (see app/resources.tsx), per language. */
export const MENU = {
  zh: {
    home: "首页",
    members: "会员",
    counter: "柜台核销",
    stored_value_cards: "储值卡",
    business_units: "业态",
    benefit_definitions: "权益配置",
    marketing_menu: "营销",
    tiers: "会员等级",
    approvals: "审批中心",
    dashboards: "数据看板",
    settlement: "结算",
    staff: "员工与角色",
    audit_log: "审计日志",
    imports: "批量导入",
    api_keys: "接口密钥",
    notification_templates: "通知模板",
    webhook_subscriptions: "事件回调",
    builder: "表单设计器",
    rules: "规则中心",
    logout: "退出登录",
  },
  en: {
    home: "Home",
    members: "Members",
    counter: "Counter",
    stored_value_cards: "Stored-value cards",
    business_units: "Business Units",
    benefit_definitions: "Benefits",
    marketing_menu: "Marketing",
    tiers: "Tiers",
    approvals: "Approvals",
    dashboards: "Dashboards",
    settlement: "Settlement",
    staff: "Staff & Roles",
    audit_log: "Audit Log",
    imports: "Bulk import",
    api_keys: "API keys",
    notification_templates: "Message templates",
    webhook_subscriptions: "Webhooks",
    builder: "Form Builder",
    rules: "Rules",
    logout: "Sign out",
  },
} as const;

export type MenuKey = Exclude<keyof (typeof MENU)["zh"], "logout">;
export const ALL_MENU: MenuKey[] = [
  "home", "members", "counter", "stored_value_cards", "business_units", "benefit_definitions", "marketing_menu", "tiers", "approvals", "dashboards", "settlement", "staff", "audit_log",
  "imports", "api_keys", "notification_templates", "webhook_subscriptions", "builder", "rules",
];
/** The administrator's menu: everything but the counter (staff and managers of a unit serve it). */
export const ADMIN_MENU: MenuKey[] = ALL_MENU.filter((key) => key !== "counter");

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel(/^(邮箱|Email)$/).fill(email);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole("button", { name: /^(登\s?录|Sign in)$/ }).click();
}

/** The sider menu: exactly these entries, in this order, then the sign-out item. */
export async function expectMenu(page: Page, lang: "zh" | "en", keys: MenuKey[]) {
  const menu = page.getByRole("menu");
  // A number beside an entry counts what waits there (approvals), so it may follow the label.
  const label = (text: string) => new RegExp(`^${text}\\d*$`);
  await expect(menu.getByRole("menuitem")).toHaveText([...keys.map((key) => label(MENU[lang][key])), MENU[lang].logout]);
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
    /** Any call to /rest/v1/<path> as this user, returning the raw response (to check refusals). */
    raw(path: string, init: { method: string; body?: unknown }) {
      return fetch(`${url}/rest/v1/${path}`, {
        method: init.method,
        headers: { ...headers, "content-type": "application/json", prefer: "return=representation" },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    },
    /** GET /rest/v1/<path>; returns the rows and the exact total. */
    async get<T = Record<string, unknown>>(path: string): Promise<{ rows: T[]; total: number }> {
      const response = await fetch(`${url}/rest/v1/${path}`, { headers: { ...headers, prefer: "count=exact" } });
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      const total = Number(response.headers.get("content-range")?.split("/")[1] ?? NaN);
      return { rows: (await response.json()) as T[], total };
    },
    /** POST /rest/v1/<path> (rows or rpc/<fn>); returns the JSON answer, throws with the server's message. */
    async post<T = Record<string, unknown>>(path: string, body: unknown): Promise<T> {
      const response = await fetch(`${url}/rest/v1/${path}`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", prefer: "return=representation" },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw Object.assign(new Error(`POST ${path}: ${response.status} ${text}`), { status: response.status });
      return (text ? JSON.parse(text) : null) as T;
    },
  };
}

export type Api = Awaited<ReturnType<typeof apiAs>>;

export interface TestMember {
  id: string;
  member_no: string;
  name: string;
  phone: string;
}

/** A fresh member registered through the REST API (unique 1990… phone), so test runs never collide. */
export async function createMember(api: Api, name = "E2E会员", extra: Record<string, unknown> = {}): Promise<TestMember> {
  for (let attempt = 0; ; attempt++) {
    const phone = `1990${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
    try {
      const [member] = await api.post<TestMember[]>("members?select=id,member_no,name,phone", {
        name: `${name}${phone.slice(-4)}`,
        phone,
        ...extra,
      });
      return member;
    } catch (error) {
      if ((error as { status?: number }).status !== 409 || attempt >= 5) throw error;
    }
  }
}

/** A business unit's id by its code (mall, hotel...). */
export async function unitId(api: Api, code: string) {
  const { rows } = await api.get<{ id: string }>(`business_units?select=id&code=eq.${code}`);
  if (!rows[0]) throw new Error(`no business unit ${code}`);
  return rows[0].id;
}

export async function countAs(email: string, table: string) {
  const api = await apiAs(email);
  return (await api.get(`${table}?select=id&limit=1`)).total;
}

/** Drag with the mouse: @dnd-kit listens to pointer events and activates after a few pixels, so move in steps. */
export async function dragInto(page: Page, source: Locator, target: Locator) {
  const from = (await source.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 12, from.y + from.height / 2, { steps: 3 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height - 12, { steps: 12 });
  await page.mouse.up();
}

/**
 * Runs `fn` on a superuser connection to the stack's database, for set-up and clean-up only. With
 * `bypassTriggers`, inside one transaction that skips triggers (to remove what the product never deletes:
 * published versions).
 */
export async function asSuperuser<T>(fn: (db: pg.Client) => Promise<T>, { bypassTriggers = false } = {}): Promise<T> {
  const db = new pg.Client({ connectionString: superuserUrl() });
  await db.connect();
  try {
    if (!bypassTriggers) return await fn(db);
    await db.query("begin");
    await db.query("set local session_replication_role = replica");
    const result = await fn(db);
    await db.query("commit");
    return result;
  } finally {
    await db.end();
  }
}

/**
 * Clicks a button of a dialog or confirmation that may still be opening (on a busy machine its first click can be
 * lost), again while it still shows, until `then` holds. A button that is gone or loading takes no second click.
 */
export async function clickUntil(button: Locator, then: () => Promise<unknown>, timeout = 20_000) {
  await expect(async () => {
    if (await button.isVisible()) await button.click({ timeout: 2_000 });
    await then();
  }).toPass({ timeout });
}
