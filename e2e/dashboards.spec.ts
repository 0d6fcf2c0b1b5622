import fs from "node:fs";
import { expect, test, type Page } from "./fixtures";
import { apiAs, asSuperuser, clickUntil, signIn } from "./helpers";

const ANALYST = "analyst@demo.test";
const RUN = Date.now().toString(36);

/** Opens an antd select by its accessible name and picks the option with `text`. */
async function choose(page: Page, scope: Page | ReturnType<Page["locator"]>, name: string, text: string) {
  await scope.getByRole("combobox", { name }).click({ force: true });
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: text }).first().click();
}

/** Rows of a CSV as the app writes it (UTF-8 with BOM, CRLF, quoted cells where needed). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const body = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && body[i + 1] === "\n") i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

async function openPointsDashboard(page: Page) {
  await page.getByRole("menu").getByRole("link", { name: "数据看板", exact: true }).click();
  await page.getByRole("link", { name: "积分总览", exact: true }).click();
  await expect(page.getByText("积分总览").first()).toBeVisible();
  await expect(page).toHaveURL(/\/dashboards\/points-overview/);
}

test("the analyst filters the points dashboard to the hotel and the last 30 days, drills into a bar and exports the records", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, ANALYST);
  await expect(page.getByRole("heading", { name: /^您好，.+/ })).toBeVisible();
  // The home page shows the headline figures with a way to the dashboard.
  await expect(page.getByRole("region", { name: "积分核销率 · 核销率" })).toContainText("%");
  await expect(page.getByRole("region", { name: "积分余额池（负债） · 负债金额（元）" })).toContainText("¥");
  await openPointsDashboard(page);

  await choose(page, page, "时间范围", "最近 30 天");
  await choose(page, page, "业态", "星河酒店");
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/units=[0-9a-f-]{36}/);
  const hotel = new URL(page.url()).searchParams.get("units")!;
  const { from, to } = Object.fromEntries(new URL(page.url()).searchParams) as Record<string, string>;

  // The flow chart draws the hotel's weeks; the URL holds the view, so a reload keeps it.
  await page.reload();
  const flow = page.getByRole("region", { name: "积分发放、核销与过期" });
  await expect(page.locator(".ant-select-selection-item", { hasText: "星河酒店" })).toBeVisible();
  const bars = flow.locator(".recharts-bar-rectangle path");
  await expect(bars.first()).toBeVisible();

  // A bar opens the records behind it: that week, the hotel's lots.
  await bars.first().click();
  const drawer = page.locator(".ant-drawer-content");
  await expect(drawer.getByText("积分发放、核销与过期 · 明细")).toBeVisible();
  const subtitle = await drawer.getByText(/\d{4}-\d{2}-\d{2} ~ \d{4}-\d{2}-\d{2}/).textContent();
  const [, weekFrom, weekTo] = /(\d{4}-\d{2}-\d{2}) ~ (\d{4}-\d{2}-\d{2})/.exec(subtitle!)!;
  expect(weekFrom >= from && weekTo <= to).toBe(true);
  const api = await apiAs(ANALYST);
  const expected = await (
    await api.raw("rpc/drill_points_flow", {
      method: "POST",
      body: { p_from: weekFrom, p_to: weekTo, p_grain: "week", p_business_units: [hotel], p_limit: 500, p_offset: 0 },
    })
  ).json() as { member_no: string; issuing_unit: string; total_count: number }[];
  expect(expected.length).toBeGreaterThan(0);
  await expect(drawer.getByText(`共 ${expected[0].total_count} 条`)).toBeVisible();
  await expect(drawer.locator(".ant-table-tbody tr.ant-table-row").first()).toBeVisible();

  // The export holds every record of the drill, labelled; each one's points came from hotel lots.
  await drawer.getByRole("button", { name: "导出" }).click();
  const download = page.waitForEvent("download");
  await page.getByRole("menuitem", { name: "导出 CSV" }).click();
  const file = await (await download).path();
  const [header, ...rows] = parseCsv(fs.readFileSync(file, "utf8")).filter((r) => r.some((c) => c !== ""));
  expect(header).toEqual(["发生时间", "会员号", "会员", "业态", "发放业态", "类型", "积分"]);
  expect(rows).toHaveLength(Math.min(expected[0].total_count, 10_000));
  expect(rows.map((r) => r[1]).slice(0, expected.length)).toEqual(expected.map((e) => e.member_no));
  expect(new Set(rows.map((r) => r[4]))).toEqual(new Set(["星河酒店"]));
  // The export was audited: who, how many records, which metric and filters.
  const audit = await asSuperuser((db) =>
    db.query("select a.after from audit_log a join staff_profiles s on s.user_id = a.actor_id where a.table_name = 'dashboard_records' and a.action = 'EXPORT' and s.email = $1 order by a.id desc limit 1", [ANALYST]),
  );
  expect(audit.rows[0].after).toMatchObject({ rows: rows.length, format: "csv", filters: { metric: "points_flow", p_business_units: [hotel], p_from: weekFrom, p_to: weekTo } });
});

test("the analyst builds a dashboard of three widgets, saves it privately and sees both after a reload", async ({ page }) => {
  test.setTimeout(180_000);
  const title = `我的看板 ${RUN}`;
  await signIn(page, ANALYST);
  await expect(page.getByRole("heading", { name: /^您好，.+/ })).toBeVisible();
  await page.getByRole("menu").getByRole("link", { name: "数据看板", exact: true }).click();
  await page.getByRole("button", { name: /新建看板/ }).click();
  await expect(page).toHaveURL(/\/dashboards\/new$/);

  await page.getByRole("textbox", { name: "中文标题" }).fill(title);
  const canvas = page.getByRole("region", { name: "看板画布" });
  // One metric dragged from the palette onto the grid, one added with its button.
  await page.locator('[data-metric="redemption_rate"]').dragTo(canvas, { targetPosition: { x: 200, y: 60 } });
  await expect(canvas.getByRole("region", { name: "积分核销率" })).toBeVisible();
  await page.getByRole("button", { name: "添加「会员等级分布」" }).click();
  const tiers = canvas.getByRole("region", { name: "会员等级分布" });
  await expect(tiers).toBeVisible();
  await choose(page, tiers, "图表类型", "饼图");
  await expect(tiers.locator(".recharts-pie")).toBeVisible();
  // A third shows one measure split by business unit, chosen in its data settings.
  await page.getByRole("button", { name: "添加「积分发放、核销与过期」" }).click();
  const flow = canvas.getByRole("region", { name: "积分发放、核销与过期" });
  await expect(flow.locator(".recharts-legend-item")).toHaveCount(3);
  await flow.getByRole("button", { name: "展示内容" }).click();
  const settings = page.locator(".ant-popover:visible");
  await choose(page, settings, "分组系列", "业态");
  await expect(flow.locator(".recharts-legend-item", { hasText: "核销积分" })).toHaveCount(0);
  // Split by unit, it shows one measure: a second is offered disabled, with the reason.
  await choose(page, settings, "度量", "发放积分");
  await expect(page.locator(".ant-select-dropdown:visible .ant-select-item-option-disabled", { hasText: "只能展示一个度量" }).first()).toBeVisible();
  await page.keyboard.press("Escape");
  await expect.poll(() => flow.locator(".recharts-legend-item").count()).toBeGreaterThan(1);

  // Leaving with unsaved work asks first; staying keeps it.
  const asked = new Promise<void>((resolve) =>
    page.once("dialog", async (dialog) => {
      expect(dialog.type()).toBe("confirm");
      await dialog.dismiss();
      resolve();
    }),
  );
  await page.getByRole("menu").getByRole("link", { name: "首页", exact: true }).click();
  await asked;
  await expect(page).toHaveURL(/\/dashboards\/new$/);

  await page.getByRole("button", { name: /保\s?存/ }).click();
  await expect(page).toHaveURL(/\/dashboards\/u-[0-9a-f]{16}$/);
  await page.reload();
  await expect(page.getByRole("region", { name: "积分核销率" })).toBeVisible();
  await expect(page.getByRole("region", { name: "会员等级分布" }).locator(".recharts-pie")).toBeVisible();
  await expect(page.getByRole("region", { name: "积分发放、核销与过期" }).locator(".recharts-legend-item", { hasText: "核销积分" })).toHaveCount(0);

  // In the list, as the analyst's own, private; reopened for editing with both widgets.
  await page.getByRole("menu").getByRole("link", { name: "数据看板", exact: true }).click();
  const card = page.getByRole("region", { name: title });
  await expect(card).toContainText("仅自己可见");
  await expect(card).toContainText("我创建的");
  await card.getByRole("button", { name: "编辑" }).click();
  await expect(page.getByRole("textbox", { name: "中文标题" })).toHaveValue(title);
  await expect(page.getByRole("region", { name: "看板画布" }).locator("[data-widget]")).toHaveCount(3);

  // Deleted, it leaves the list.
  await page.getByRole("button", { name: "删除看板" }).click();
  await page.locator(".ant-popconfirm").getByRole("button", { name: "删除看板" }).click();
  await expect(page).toHaveURL(/\/dashboards$/);
  await expect(page.getByRole("link", { name: "积分总览", exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: title })).toHaveCount(0);
});

test("the points dashboard in English", async ({ page }) => {
  await signIn(page, ANALYST);
  await expect(page.getByRole("heading", { name: /^您好，.+/ })).toBeVisible();
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("menu").getByRole("link", { name: "Dashboards", exact: true }).click();
  await page.getByRole("link", { name: "Points overview", exact: true }).click();
  await expect(page.getByRole("region", { name: "Points issued, redeemed and expired" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Business units" })).toBeVisible();
  await expect(page.getByText("Redemption heat map")).toBeVisible();
  await expect(page.getByRole("region", { name: "Points issued, redeemed and expired" }).locator(".recharts-bar-rectangle path").first()).toBeVisible();
});

test("the director reads the reports and confirms a month's expired points, which then shows as locked", async ({ page }) => {
  test.setTimeout(120_000);
  const DIRECTOR = "director@demo.test";
  await signIn(page, DIRECTOR);
  await expect(page.getByRole("heading", { name: /^您好，.+/ })).toBeVisible();
  await page.getByRole("menu").getByRole("link", { name: "数据看板", exact: true }).click();
  await page.getByRole("button", { name: /报\s?表/ }).click();
  await expect(page).toHaveURL(/\/reports/);

  // Consumption: the totals the report function gives for the last 30 days.
  const api = await apiAs(DIRECTOR);
  const [from, to] = await page.getByRole("textbox").evaluateAll((inputs) => inputs.slice(0, 2).map((i) => (i as HTMLInputElement).value));
  const totals = await (await api.raw("rpc/report_consumption", { method: "POST", body: { p_from: from, p_to: to, p_limit: 1 } })).json() as { total_orders: number };
  await expect(page.getByRole("region", { name: "订单数" })).toContainText(totals.total_orders.toLocaleString("en-US"));

  // Expired points: the oldest month still open is confirmed and locked.
  await page.getByRole("tab", { name: "过期积分核销" }).click();
  const oldest = page.getByRole("row").filter({ has: page.getByRole("button", { name: "确认核销" }) }).first();
  const month = (await oldest.getByRole("cell").first().textContent())!;
  expect(month).toMatch(/^\d{4}-\d{2}$/);
  await oldest.getByRole("button", { name: "确认核销" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("该月份将被锁定");
  await dialog.getByRole("button", { name: "确认核销" }).click();
  await expect(page.getByRole("row").filter({ hasText: month }).getByText(/已确认锁定 · \d{4}-\d{2}-\d{2}/)).toBeVisible();
  const locked = await api.get<{ status: string }>(`finance_closed_periods?month=eq.${month}-01&select=status`);
  expect(locked.rows).toEqual([{ status: "closed" }]);
});

test("an administrator reopens a confirmed month with a reason; the month can be confirmed again", async ({ page }) => {
  const ADMIN = "admin@demo.test";
  const api = await apiAs(ADMIN);
  // A month well inside the report's default range (the last twelve months), confirmed first.
  const month = await asSuperuser(async (db) => (await db.query("select to_char(private.business_today() - interval '9 months', 'YYYY-MM') as m")).rows[0].m as string);
  expect((await api.raw("rpc/confirm_expired_period", { method: "POST", body: { p_month: `${month}-01` } })).ok).toBe(true);

  await signIn(page, ADMIN);
  await expect(page.getByRole("heading", { name: /^您好，.+/ })).toBeVisible();
  await page.goto("/reports");
  await page.getByRole("tab", { name: "过期积分核销" }).click();
  const row = page.getByRole("row").filter({ hasText: month }).first();
  await expect(row.getByText(/已确认锁定/)).toBeVisible();
  await row.getByRole("button", { name: "重新开放" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("可再次记入积分变动");
  await clickUntil(dialog.getByRole("button", { name: "重新开放" }), () => expect(dialog).toContainText("请填写", { timeout: 3_000 }));
  await dialog.getByRole("textbox").fill("补录漏记的积分");
  await dialog.getByRole("button", { name: "重新开放" }).click();
  await expect(row.getByRole("button", { name: "确认核销" })).toBeVisible();
  const reopened = await api.get<{ status: string; reopen_reason: string }>(`finance_closed_periods?month=eq.${month}-01&select=status,reopen_reason`);
  expect(reopened.rows).toEqual([{ status: "reopened", reopen_reason: "补录漏记的积分" }]);
});
