import dayjs from "dayjs";
import { businessToday } from "../app/dashboards/filters";
import { formatMoney } from "../app/lib/format";
import { expect, test, type Page } from "./fixtures";
import { apiAs, asSuperuser, createMember, signIn, unitId, type Api } from "./helpers";

/**
 * Settlement between business units, in the finance UI: points earned at the hotel and redeemed at the
 * mall appear in the mall-hotel statement of the month with the amount the settlement rules give; the mall's
 * finance confirms, group finance confirms for the hotel, and group finance closes that running month as a cut-off.
 * The previous month (its data posted through the API: a joint campaign cost) shows that a month is closed only once
 * every statement is confirmed by both sides (refused up front with the open statements, then closed).
 */

interface Statement {
  period: string;
  business_unit_id: string;
  counterparty_unit_id: string;
  receivable_fen: number;
  payable_fen: number;
  net_fen: number;
  my_decision: string | null;
  counterparty_decision: string | null;
}
interface Entry {
  id: number;
  event_ref: string;
  amount_fen: number;
  business_unit_id: string;
  counterparty_unit_id: string;
}

/** antd puts a space between the two CJK characters of a button ("确 认"). */
const CONFIRM = /^确\s?认$/;
const ENTRIES = /^明\s?细$/;
const CLOSE_MONTH = /^关\s?账$/;
const money = (fen: number) => formatMoney(fen / 100);
const statementRow = (page: Page, unit: string, counterparty: string) =>
  page.getByRole("tabpanel").locator(".ant-table-tbody tr.ant-table-row").filter({ has: page.locator("td:nth-child(1)", { hasText: unit }) })
    .filter({ has: page.locator("td:nth-child(2)", { hasText: counterparty }) });

/** Opens 结算 from the menu and picks a month (YYYY-MM-01) in the current tab. */
async function openSettlement(page: Page, period: string, tab?: string) {
  await page.getByRole("menu").getByRole("link", { name: "结算", exact: true }).click();
  await expect(page.getByRole("heading", { name: "业态结算" })).toBeVisible();
  if (tab) await page.getByRole("tab", { name: tab }).click();
  const picker = page.getByRole("tabpanel").getByLabel("结算月份");
  if (await picker.count()) {
    await picker.click();
    await picker.fill(period.slice(0, 7));
    await picker.press("Enter");
    await expect(picker).toHaveValue(period.slice(0, 7));
  }
}

/** Confirms a statement through the UI: the decision dialog, then the confirmation naming the amounts. */
async function confirmStatement(page: Page, unit: string, counterparty: string, period: string) {
  const row = statementRow(page, unit, counterparty);
  // The month's own row: pending on this side until now (another month's row may still be on screen a moment).
  await expect(row.locator("td").nth(7)).toHaveText(/待确认/);
  await row.getByRole("button", { name: CONFIRM }).click();
  const dialog = page.getByRole("dialog", { name: `${unit} 与 ${counterparty} ${period.slice(0, 7)} 对账单` });
  await dialog.getByRole("button", { name: /^下一步$/ }).click();
  const ask = page.getByRole("dialog", { name: new RegExp(`^确认 ${unit} 与 ${counterparty} \\d{4}-\\d{2} 的对账单？$`) });
  await ask.getByRole("button", { name: CONFIRM }).click();
  await expect(page.getByText("已确认对账单")).toBeVisible();
  await expect(row.locator("td").nth(7)).toHaveText(/已确认/);
}

async function pairStatement(api: Api, period: string, unit: string, counterparty: string) {
  const { rows } = await api.get<Statement>(
    `settlement_statements?period=eq.${period}&business_unit_id=eq.${unit}&counterparty_unit_id=eq.${counterparty}&select=*`);
  return rows[0];
}

test("points earned at the hotel and redeemed at the mall: statement, both sides confirm, finance closes that month", async ({ page }) => {
  test.setTimeout(360_000);
  const hotelStaff = await apiAs("hotel.staff@demo.test");
  const mallStaff = await apiAs("staff@demo.test");
  const finance = await apiAs("finance@demo.test");
  const hotel = await unitId(hotelStaff, "hotel");
  const mall = await unitId(hotelStaff, "mall");
  const current = dayjs(businessToday()).format("YYYY-MM-01");
  const previous = dayjs(current).subtract(1, "month").format("YYYY-MM-DD");

  // A member earns points at the hotel (the engine posts them from the purchase), then redeems them at the mall.
  const member = await createMember(hotelStaff, "结算会员");
  const { transaction_id: txn } = await hotelStaff.post<{ transaction_id: string }>("rpc/record_transaction", {
    p_member_id: member.id, p_business_unit_id: hotel, p_order_no: `E2E-S-${Date.now()}`, p_amount: 3000,
  });
  await expect.poll(async () => (await hotelStaff.get(`transaction_earnings?transaction_id=eq.${txn}&select=transaction_id`)).total, { timeout: 30_000 }).toBe(1);
  const { rows: lots } = await hotelStaff.get<{ business_unit_id: string; remaining_points: number }>(
    `point_lots?member_id=eq.${member.id}&remaining_points=gt.0&select=business_unit_id,remaining_points`);
  expect(lots.length).toBeGreaterThan(0);
  expect(lots.every((lot) => lot.business_unit_id === hotel)).toBe(true);
  const points = Math.min(lots.reduce((sum, lot) => sum + Number(lot.remaining_points), 0), 800);
  const before = await pairStatement(finance, current, mall, hotel);
  const { entry_id: entryId } = await mallStaff.post<{ entry_id: number }>("rpc/redeem_points", {
    p_member_id: member.id, p_business_unit_id: mall, p_points: points, p_idempotency_key: `e2e-settle-${Date.now()}`, p_reason: "E2E 结算",
  });

  // What the rules give: the issuer (hotel) pays the redeeming unit (mall) the points' value (the seeded rule for a
  // redemption outside the hotel), at the point value in force.
  const pointValue = await asSuperuser(async (db) =>
    Number((await db.query("select value from public.analytics_settings where key = 'point_value_yuan'")).rows[0].value));
  const expected = Math.round(points * pointValue * 100);
  const { rows: entries } = await finance.get<Entry>(`settlement_entries?event_kind=eq.points_redeem&event_ref=eq.${entryId}&select=*`);
  expect(entries.map((e) => [e.business_unit_id, e.counterparty_unit_id, Number(e.amount_fen)]).sort()).toEqual(
    [[mall, hotel, expected], [hotel, mall, -expected]].sort());
  const after = await pairStatement(finance, current, mall, hotel);
  expect(Number(after.receivable_fen) - Number(before?.receivable_fen ?? 0)).toBe(expected);

  // The mall's finance: only the mall's statements; the mall-hotel one with its entry behind it; confirms it.
  await signIn(page, "mall.finance@demo.test");
  await openSettlement(page, current);
  const rows = page.getByRole("tabpanel").locator(".ant-table-tbody tr.ant-table-row");
  await expect(rows.first()).toBeVisible();
  for (const cell of await rows.locator("td:nth-child(1)").allInnerTexts()) expect(cell).toBe("星河购物中心");
  const row = statementRow(page, "星河购物中心", "星河酒店");
  await expect(row.locator("td").nth(2)).toHaveText(money(Number(after.receivable_fen)));
  await expect(row.locator("td").nth(4)).toHaveText(money(Number(after.net_fen)));
  await expect(row.locator("td").nth(5)).toContainText("积分跨业态兑换");
  await row.getByRole("button", { name: ENTRIES }).click();
  const drawer = page.locator(".ant-drawer-content");
  await expect(drawer.locator(".ant-drawer-title")).toHaveText(/^星河购物中心 与 星河酒店 \d{4}-\d{2} 结算明细$/);
  const mine = drawer.locator(".ant-table-tbody tr.ant-table-row").filter({ hasText: String(entryId) });
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText("积分跨业态兑换");
  await expect(mine).toContainText(money(expected));
  await expect(mine).toContainText("跨业态积分兑换：按积分价值结算");
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();

  // A dispute needs a comment: checked before any confirmation dialog.
  await row.getByRole("button", { name: "提出争议" }).click();
  const dispute = page.getByRole("dialog", { name: /^星河购物中心 与 星河酒店 \d{4}-\d{2} 对账单$/ });
  await dispute.getByRole("button", { name: /^下一步$/ }).click();
  await expect(dispute.getByText("提出争议必须填写说明")).toBeVisible();
  await expect(page.getByRole("dialog", { name: /提出争议？$/ })).toHaveCount(0);
  await dispute.getByRole("button", { name: /^取\s?消$/ }).click();

  await confirmStatement(page, "星河购物中心", "星河酒店", current);
  await expect(row.locator("td").nth(8)).toHaveText(/待确认/);

  // Group finance confirms for the hotel: the hotel-mall statement then shows both sides confirmed.
  await page.getByRole("menu").getByRole("menuitem", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, "finance@demo.test");
  await openSettlement(page, current);
  await confirmStatement(page, "星河酒店", "星河购物中心", current);
  const hotelRow = statementRow(page, "星河酒店", "星河购物中心");
  await expect(hotelRow.locator("td").nth(8)).toHaveText(/已确认/);
  await expect(hotelRow.locator("td").nth(4)).toHaveText(money(-Number(after.net_fen)));
  expect(await pairStatement(finance, current, hotel, mall)).toMatchObject({ my_decision: "confirmed", counterparty_decision: "confirmed" });

  // Group finance closes the running month as a cut-off, warned that what is settled in it later lands in the next
  // month, once every statement of it is confirmed by both sides (the other pairs confirmed through the API).
  const { rows: running } = await finance.get<Statement>(`settlement_statements?period=eq.${current}&select=*`);
  for (const s of running.filter((s) => s.my_decision !== "confirmed")) {
    await finance.post("rpc/decide_settlement_statement", {
      p_period: current, p_business_unit_id: s.business_unit_id, p_counterparty_unit_id: s.counterparty_unit_id, p_decision: "confirmed", p_comment: null,
    });
  }
  await page.reload();
  await page.getByRole("tab", { name: "关账" }).click();
  const months = page.getByRole("tabpanel").locator(".ant-table-tbody tr.ant-table-row");
  const currentRow = months.filter({ hasText: current.slice(0, 7) });
  await expect(currentRow).toContainText("本月未结束");
  await expect(currentRow.locator("td").nth(2)).toHaveText(/^(\d+) \/ \1$/);
  await currentRow.getByRole("button", { name: CLOSE_MONTH }).click();
  const cutoff = page.getByRole("dialog", { name: `关闭 ${current.slice(0, 7)} 的结算？` });
  await expect(cutoff).toContainText(`${current.slice(0, 7)} 尚未结束：关账后，本月之后发生的结算将作为更正计入下一个未关账的月份。`);
  await cutoff.getByLabel("关账说明").fill("E2E 截止日关账");
  await cutoff.getByRole("button", { name: CLOSE_MONTH }).click();
  await expect(page.getByText(`${current.slice(0, 7)} 已关账`)).toBeVisible();
  await expect(currentRow).toContainText("已关账");
  expect((await finance.get(`settlement_periods?period=eq.${current}&status=eq.closed&select=period`)).total).toBe(1);

  // The previous month: a joint campaign cost the mall paid, shared among the units (set-up through the API); every
  // statement confirmed through the API but the hotel's side against the mall, so closing is refused with that one.
  await finance.post("rpc/post_campaign_cost", {
    p_campaign_key: "e2e-joint", p_period: previous, p_total_fen: 1_000_000, p_payer_unit_id: mall, p_idempotency_key: `e2e-${Date.now()}`,
  });
  const { rows: last } = await finance.get<Statement>(`settlement_statements?period=eq.${previous}&select=*`);
  const open = last.find((s) => s.business_unit_id === hotel && s.counterparty_unit_id === mall);
  expect(open, "the hotel shares the mall's campaign cost").toBeTruthy();
  for (const s of last.filter((s) => s !== open && s.my_decision !== "confirmed")) {
    await finance.post("rpc/decide_settlement_statement", {
      p_period: previous, p_business_unit_id: s.business_unit_id, p_counterparty_unit_id: s.counterparty_unit_id, p_decision: "confirmed", p_comment: null,
    });
  }
  await page.reload();
  const previousRow = months.filter({ hasText: previous.slice(0, 7) });
  await previousRow.getByRole("button", { name: CLOSE_MONTH }).click();
  const refused = page.getByRole("dialog", { name: `${previous.slice(0, 7)} 暂不能关账` });
  await expect(refused).toContainText("星河酒店 与 星河购物中心：本方待确认，对方已确认");
  await refused.getByRole("button", { name: "知道了" }).click();
  expect((await finance.get(`settlement_periods?period=eq.${previous}&status=eq.closed&select=period`)).total).toBe(0);

  await page.getByRole("tab", { name: "结算对账单" }).click();
  const picker = page.getByRole("tabpanel").getByLabel("结算月份");
  await picker.click();
  await picker.fill(previous.slice(0, 7));
  await picker.press("Enter");
  await expect(picker).toHaveValue(previous.slice(0, 7));
  await confirmStatement(page, "星河酒店", "星河购物中心", previous);

  await page.getByRole("tab", { name: "关账" }).click();
  // The month's row has caught up with the confirmation: every statement confirmed by both sides.
  await expect(previousRow.locator("td").nth(2)).toHaveText(/^(\d+) \/ \1$/);
  await previousRow.getByRole("button", { name: CLOSE_MONTH }).click();
  const ask = page.getByRole("dialog", { name: `关闭 ${previous.slice(0, 7)} 的结算？` });
  await ask.getByLabel("关账说明").fill("E2E 关账");
  await ask.getByRole("button", { name: CLOSE_MONTH }).click();
  await expect(page.getByText(`${previous.slice(0, 7)} 已关账`)).toBeVisible();
  await expect(previousRow).toContainText("已关账");
  expect((await finance.get(`settlement_periods?period=eq.${previous}&status=eq.closed&select=period`)).total).toBe(1);

  // The hotel's report of the closed month and the group matrix show the same net as the statement.
  const net = Number((await pairStatement(finance, previous, hotel, mall)).net_fen);
  await page.getByRole("tab", { name: "业态结算报表" }).click();
  await page.getByRole("tabpanel").getByRole("combobox", { name: "业态" }).click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "星河酒店" }).click();
  const line = page.getByRole("tabpanel").locator(".ant-table-tbody tr.ant-table-row").filter({ hasText: "星河购物中心" });
  await expect(line).toContainText(money(net));
  await expect(page.getByRole("region", { name: "联合活动费用（净额）" })).toBeVisible();
  await page.getByRole("tab", { name: "集团结算矩阵" }).click();
  const matrixRow = page.getByRole("tabpanel").locator(".ant-table-tbody tr.ant-table-row").filter({ has: page.locator("td:nth-child(1)", { hasText: "星河酒店" }) });
  await expect(page.getByRole("tabpanel").getByRole("columnheader", { name: "星河购物中心", exact: true })).toBeVisible();
  const headers = (await page.getByRole("tabpanel").locator("thead th").allInnerTexts()).map((text) => text.trim());
  expect(headers).toContain("星河购物中心");
  await expect(matrixRow.locator("td").nth(headers.indexOf("星河购物中心"))).toHaveText(money(net));
});
