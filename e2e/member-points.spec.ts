import { expect, test, type Page } from "./fixtures";
import ExcelJS from "exceljs";
import { apiAs, createMember, signIn, unitId, type Api, type TestMember } from "./helpers";

interface Entry {
  id: number;
  kind: string;
  points: number;
  ledger_lot_moves: { lot_id: number; points: number }[];
}

const ledgerOf = async (api: Api, member: TestMember) =>
  (await api.get<Entry>(`ledger_entries?member_id=eq.${member.id}&select=id,kind,points,ledger_lot_moves(lot_id,points)&order=id.desc`))
    .rows;
const balanceOf = async (api: Api, member: TestMember) =>
  Number((await api.get<{ balance: number }>(`point_balances?member_id=eq.${member.id}&select=balance`)).rows[0]?.balance ?? 0);

/** antd puts a space between two CJK characters of a button ("关 闭"). */
const CLOSE = /^关\s?闭$/;
const CANCEL = /^取\s?消$/;
/** record_transaction as `api`; the rules engine posts the points moments later: wait until it has. */
async function recordPurchase(api: Api, member: TestMember, amount: number) {
  const { transaction_id: id } = await api.post<{ transaction_id: string }>("rpc/record_transaction", {
    p_member_id: member.id,
    p_business_unit_id: await unitId(api, "mall"),
    p_order_no: `E2E-${Date.now()}`,
    p_amount: amount,
  });
  await expect
    .poll(async () => (await api.get(`transaction_earnings?transaction_id=eq.${id}&select=transaction_id`)).total, { timeout: 30_000 })
    .toBe(1);
}

const balanceRegion = (page: Page) => page.getByRole("region", { name: "积分余额" });
const tabRows = (page: Page) => page.getByRole("tabpanel").locator(".ant-table-tbody").first().getByRole("row");

/** After signIn: wait until the app shell is there (session stored), then open the member's 360 page. */
async function openMember(page: Page, member: TestMember) {
  await expect(page.getByRole("menu")).toBeVisible();
  await page.goto(`/members/show/${member.id}`);
  await expect(page.getByRole("heading", { name: `${member.name} · ${member.member_no}` })).toBeVisible();
}

test("staff: find by phone, record a purchase, redeem, trace the lots, export the ledger", async ({ page }) => {
  const api = await apiAs("staff@demo.test");
  const member = await createMember(api);
  await signIn(page, "staff@demo.test");

  // Find the member by phone with the big search box; the row opens the 360 page.
  await page.getByRole("menu").getByRole("link", { name: "会员", exact: true }).click();
  const search = page.getByRole("searchbox", { name: "按会员号、姓名或手机号搜索" });
  await search.fill(member.phone);
  await search.press("Enter");
  const rows = page.locator(".ant-table-tbody").getByRole("row");
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole("cell", { name: member.phone }).click();
  await expect(page).toHaveURL(new RegExp(`/members/show/${member.id}$`));
  await expect(page.getByRole("heading", { name: `${member.name} · ${member.member_no}` })).toBeVisible();
  await expect(balanceRegion(page)).toContainText(/积分余额\s*0/);

  // 录入消费: the staff member's own unit is preselected; a confirmation shows what will be posted.
  const orderNo = `E2E-${Date.now()}`;
  await page.getByRole("button", { name: "录入消费" }).click();
  const record = page.getByRole("dialog", { name: `录入消费 · ${member.name}` });
  await expect(record).toContainText("星河购物中心");
  await record.getByLabel("订单号").fill(orderNo);
  await record.getByLabel("消费金额（元）").fill("128.50");
  await record.getByRole("button", { name: "下一步" }).click();
  await expect(page.getByText(new RegExp(`在星河购物中心录入订单 ${orderNo}，消费金额 ¥128\\.50`))).toBeVisible();
  await page.getByRole("button", { name: "确认录入" }).click();
  await expect(record.getByText("消费已录入")).toBeVisible();
  // The rules engine posts the points moments after the purchase is recorded.
  await expect(record).toContainText(/获得 \d+ 积分/, { timeout: 30_000 });

  const [earn] = await ledgerOf(api, member);
  expect(earn.kind).toBe("earn");
  const lotId = earn.ledger_lot_moves[0].lot_id;
  await expect(record).toContainText(`获得 ${earn.points} 积分，当前余额 ${earn.points} 积分`);
  await expect(record).toContainText(`新积分批次：#${lotId}`);
  await record.getByRole("button", { name: CLOSE }).click();
  await expect(balanceRegion(page)).toContainText(new RegExp(`积分余额\\s*${earn.points}\\b`));
  const lot = tabRows(page).filter({ hasText: `#${lotId}` });
  await expect(lot).toContainText("星河购物中心");
  await expect(lot).toContainText(String(earn.points));

  // 积分兑换 of fewer points than the balance: the result names the lot that paid.
  const redeemPoints = 50;
  const after = earn.points - redeemPoints;
  await page.getByRole("button", { name: "积分兑换" }).click();
  const redeem = page.getByRole("dialog", { name: `积分兑换 · ${member.name}` });
  await expect(redeem).toContainText("星河购物中心");
  await redeem.getByLabel("兑换积分").fill(String(redeemPoints));
  await redeem.getByLabel("兑换说明").fill("E2E 兑换停车券");
  await redeem.getByRole("button", { name: "下一步" }).click();
  await expect(page.getByText(new RegExp(`扣减 ${redeemPoints} 积分（业态：星河购物中心）`))).toBeVisible();
  // A double click posts once (the dialog's idempotency key; the OK button is busy after the first click).
  await page.getByRole("button", { name: "确认兑换" }).dblclick();
  await expect(redeem.getByText("兑换成功")).toBeVisible();
  await expect(redeem).toContainText(`已扣减 ${redeemPoints} 积分，当前余额 ${after} 积分`);
  await expect(redeem.getByRole("row").filter({ hasText: `#${lotId}` })).toContainText(`-${redeemPoints}`);
  await redeem.getByRole("button", { name: CLOSE }).click();
  await expect(balanceRegion(page)).toContainText(new RegExp(`积分余额\\s*${after}\\b`));

  // The ledger, newest first: the redemption's lot trace shows the same lot.
  const ledger = await ledgerOf(api, member);
  expect(ledger.map((entry) => entry.kind)).toEqual(["redeem", "earn"]);
  const [redeemEntry] = ledger;
  expect(redeemEntry).toMatchObject({ kind: "redeem", points: -redeemPoints, ledger_lot_moves: [{ lot_id: lotId, points: -redeemPoints }] });
  await page.getByRole("tab", { name: "积分流水" }).click();
  const newest = tabRows(page).first();
  await expect(newest).toContainText("兑换");
  await expect(newest).toContainText(`-${redeemPoints}`);
  await expect(newest).toContainText("E2E 兑换停车券");
  // the engine's earn entry is described by its purchase, in Chinese
  await expect(tabRows(page).nth(1)).toContainText(`消费积分 · 订单 ${orderNo}`);
  await newest.getByRole("button", { name: "展开行" }).click();
  const trace = page.getByRole("region", { name: `流水 ${redeemEntry.id} 的批次追踪` });
  await expect(trace.getByRole("row").filter({ hasText: `#${lotId}` })).toContainText(new RegExp(`-${redeemPoints}\\s*购物`));

  // 导出积分流水: an .xlsx with one row per ledger entry and the lot trace.
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "导出积分流水" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^积分流水-${member.member_no}-\\d{8}-\\d{4}\\.xlsx$`));
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  const sheet = workbook.worksheets[0];
  expect(sheet.rowCount).toBe(3);
  expect(sheet.getRow(1).getCell(1).value).toBe("流水号");
  expect(sheet.getRow(2).getCell(5).value).toBe(-redeemPoints);
  expect(String(sheet.getRow(2).getCell(8).value)).toContain(`#${lotId} -${redeemPoints}`);
  expect(sheet.getRow(3).getCell(7).value).toBe(`消费积分 · 订单 ${orderNo}`);
});

test("redeeming more than the balance is stopped before the confirmation; a balance spent meanwhile is refused by the server", async ({ page, guard }) => {
  // the browser logs the server's refusal (400) that the last step provokes on purpose
  guard.allow(/status of 400 \(Bad Request\) .*\/rest\/v1\/rpc\/redeem_points/);
  const api = await apiAs("staff@demo.test");
  const member = await createMember(api);
  await recordPurchase(api, member, 20);
  const balance = await balanceOf(api, member);
  expect(balance).toBeGreaterThan(1);
  const entries = (await ledgerOf(api, member)).length;

  await signIn(page, "staff@demo.test");
  await openMember(page, member);
  await expect(balanceRegion(page)).toContainText(new RegExp(`积分余额\\s*${balance}\\b`));
  await page.getByRole("button", { name: "积分兑换" }).click();
  const redeem = page.getByRole("dialog", { name: `积分兑换 · ${member.name}` });
  await redeem.getByLabel("兑换积分").fill("999999");
  await redeem.getByRole("button", { name: "下一步" }).click();
  await expect(redeem.getByText(`积分不足：当前余额 ${balance} 积分，兑换积分不能超过余额`)).toBeVisible();
  await expect(page.getByRole("button", { name: "确认兑换" })).toHaveCount(0);
  expect(await ledgerOf(api, member)).toHaveLength(entries);

  // The whole balance passes the check; another counter spends one point before the confirmation.
  await redeem.getByLabel("兑换积分").fill(String(balance));
  await redeem.getByRole("button", { name: "下一步" }).click();
  await api.post("rpc/redeem_points", {
    p_member_id: member.id, p_business_unit_id: await unitId(api, "mall"), p_points: 1, p_idempotency_key: `e2e-${Date.now()}`, p_reason: "E2E",
  });
  await page.getByRole("button", { name: "确认兑换" }).click();
  await expect(redeem.getByRole("alert")).toHaveText(`积分不足：当前余额 ${balance - 1}，申请兑换 ${balance}`);
  await redeem.getByRole("button", { name: CANCEL }).click();
  expect(await balanceOf(api, member)).toBe(balance - 1);
  expect(await ledgerOf(api, member)).toHaveLength(entries + 1);
});

test("a purchase of ¥0 is refused in the form, not turned into ¥0.01", async ({ page }) => {
  const api = await apiAs("staff@demo.test");
  const member = await createMember(api);
  await signIn(page, "staff@demo.test");
  await openMember(page, member);
  await page.getByRole("button", { name: "录入消费" }).click();
  const record = page.getByRole("dialog", { name: `录入消费 · ${member.name}` });
  await record.getByLabel("订单号").fill(`E2E-${Date.now()}`);
  await record.getByLabel("消费金额（元）").fill("0");
  await record.getByLabel("订单号").click(); // leave the amount field
  await expect(record.getByLabel("消费金额（元）")).toHaveValue("0.00");
  await record.getByRole("button", { name: "下一步" }).click();
  await expect(record.getByText("必须大于 0", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "确认录入" })).toHaveCount(0);
  expect((await api.get(`transactions?member_id=eq.${member.id}&select=id`)).total).toBe(0);
});

test("analyst: the 360 page without the action buttons", async ({ page }) => {
  const staff = await apiAs("staff@demo.test");
  const member = await createMember(staff, "E2E会员", { custom: { wechat: "wxe2e01" } });
  await signIn(page, "analyst@demo.test");
  await openMember(page, member);
  await expect(balanceRegion(page)).toBeVisible();
  // Personal data masked for an analyst: 138****5678, never the full number.
  await expect(page.getByText(`${member.phone.slice(0, 3)}****${member.phone.slice(-4)}`, { exact: true })).toBeVisible();
  await expect(page.getByText(member.phone)).toHaveCount(0);
  // Custom fields: titled by the published member form, by their key when the form has no title.
  await expect(page.getByText("扩展资料")).toBeVisible();
  await expect(page.getByRole("row", { name: /wechat.*wxe2e01/ })).toBeVisible();
  await expect(page.getByRole("tab", { name: "积分流水" })).toBeVisible();
  await expect(page.getByRole("button", { name: "导出积分流水" })).toBeVisible();
  for (const name of ["录入消费", "积分兑换", "合并会员"]) {
    await expect(page.getByRole("button", { name })).toHaveCount(0);
  }
});

test("manager: merge a duplicate after a preview; staff may not merge", async ({ page }) => {
  const staff = await apiAs("staff@demo.test");
  // Registered for the hotel, whose manager merges them (merges stay within the manager's units).
  const hotel = { home_business_unit_id: await unitId(staff, "hotel") };
  const survivor = await createMember(staff, "E2E留存", hotel);
  const duplicate = await createMember(staff, "E2E重复", hotel);
  await recordPurchase(staff, duplicate, 30);
  const moving = await balanceOf(staff, duplicate);

  await signIn(page, "manager@demo.test");
  await openMember(page, survivor);
  await page.getByRole("button", { name: "合并会员" }).click();
  const dialog = page.getByRole("dialog", { name: "合并重复会员" });
  await dialog.getByRole("combobox", { name: "重复会员" }).fill(duplicate.phone);
  await page.getByTitle(new RegExp(duplicate.member_no)).click();
  await dialog.getByRole("button", { name: "预览合并" }).click();
  await expect(dialog.getByRole("row", { name: /转入积分/ })).toContainText(String(moving));
  await expect(dialog.getByRole("row", { name: /合并后余额/ })).toContainText(String(moving));
  expect(await balanceOf(staff, survivor)).toBe(0);

  await dialog.getByRole("button", { name: "确认合并" }).click();
  await page.getByRole("dialog").filter({ hasText: "确认合并会员？" }).getByRole("button", { name: "确认合并" }).click();
  await expect(dialog).toContainText("合并完成");
  await dialog.getByRole("button", { name: CLOSE }).click();
  await expect(balanceRegion(page)).toContainText(new RegExp(`积分余额\\s*${moving}\\b`));
  expect(await balanceOf(staff, survivor)).toBe(moving);

  await page.getByRole("menu").getByRole("menuitem", { name: "退出登录" }).click();
  await signIn(page, "staff@demo.test");
  await openMember(page, survivor);
  await expect(page.getByRole("button", { name: "积分兑换" })).toBeVisible();
  await expect(page.getByRole("button", { name: "合并会员" })).toHaveCount(0);
});
