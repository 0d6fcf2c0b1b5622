import ExcelJS from "exceljs";
import { expect, test, type Page } from "./fixtures";
import { apiAs, createMember, signIn } from "./helpers";

interface Entry {
  kind: string;
  amount_fen: number;
  balance_after: number;
}

const CLOSE = /^关\s?闭$/;
/** An option of the open antd Select. */
const pick = (page: Page, text: string) => page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: text }).first().click();
/** The confirmation (Modal.confirm) with its text; its OK button, once the dialog is there. */
async function confirm(page: Page, title: string, text: string, ok: string | RegExp = /^确\s?认$/) {
  const dialog = page.getByRole("dialog", { name: title });
  await expect(dialog).toContainText(text);
  await dialog.getByRole("button", { name: ok }).click();
  await expect(dialog).toHaveCount(0);
}
const historyRows = (page: Page) => page.getByRole("table").last().locator(".ant-table-tbody").getByRole("row");

test("staff: issue a card to a member, request a recharge the manager approves, consume; the history and the report show both", async ({ page, guard }) => {
  test.setTimeout(180_000);
  const api = await apiAs("staff@demo.test");
  const member = await createMember(api, "储值卡会员");
  const cardNo = `E2E${Date.now().toString(36).toUpperCase()}`;
  await signIn(page, "staff@demo.test");

  // 储值卡 → 开卡: the staff member's own unit is preselected; the holder is found by phone.
  await page.getByRole("menu").getByRole("link", { name: "储值卡", exact: true }).click();
  await expect(page.getByRole("heading", { name: "储值卡" })).toBeVisible();
  await page.getByRole("button", { name: /^开\s?卡$/ }).click();
  const issue = page.getByRole("dialog", { name: "开卡" });
  await expect(issue).toContainText("星河购物中心");
  await issue.getByLabel("卡类型").click();
  await pick(page, "金卡");
  await issue.getByLabel("卡号").fill(cardNo.toLowerCase());
  await issue.getByLabel("持卡会员（可选）").fill(member.phone);
  await pick(page, `${member.name} · ${member.member_no}`);
  await issue.getByRole("button", { name: "下一步" }).click();
  await confirm(page, "确认开卡？", "将在 星河购物中心 开一张金卡。");
  await expect(issue.getByText(`已开卡：${cardNo}`)).toBeVisible();
  await issue.getByRole("button", { name: "储值卡详情" }).click();
  await expect(page.getByRole("heading", { name: `储值卡详情 · ${cardNo}` })).toBeVisible();
  await expect(page.getByText(`${member.name} · ${member.member_no}`)).toBeVisible();

  // 充值 ¥500.00 by WeChat Pay: staff request it with the payment's reference; the mall's manager checks and approves.
  await page.getByRole("button", { name: "充 值" }).click();
  const recharge = page.getByRole("dialog", { name: `充值 · ${cardNo}` });
  await recharge.getByLabel("金额（元）").fill("500");
  await recharge.getByLabel("支付方式").click();
  await pick(page, "微信支付");
  await recharge.getByLabel("支付流水号").fill("流水");
  await recharge.getByRole("button", { name: "下一步" }).click();
  await expect(recharge.getByText(/支付流水号为 4–64 位/)).toBeVisible();
  await recharge.getByLabel("支付流水号").fill("WX4200001234");
  await recharge.getByRole("button", { name: "下一步" }).click();
  await confirm(page, "确认充值？", `将申请向卡 ${cardNo} 充值 ¥500.00（微信支付，流水号 WX4200001234，业态：星河购物中心）。审批通过后自动入卡。`, "提交充值申请");
  await expect(recharge.getByText("已提交充值申请，业态负责人核对收款并审批后入卡")).toBeVisible();
  await recharge.getByRole("button", { name: CLOSE }).click();
  await expect(page.getByText("¥0.00").first()).toBeVisible();

  const manager = await guard.newPage();
  await signIn(manager, "mall.manager@demo.test");
  await manager.getByRole("menu").getByRole("link", { name: /审批中心/ }).click();
  const request = manager.getByRole("row", { name: new RegExp(`储值卡 ${cardNo} 充值`) });
  await expect(request).toContainText("¥500.00");
  await request.getByRole("button", { name: `储值卡 ${cardNo} 充值` }).click();
  const drawer = manager.getByRole("dialog");
  await expect(drawer).toContainText("WX4200001234");
  await expect(drawer).toContainText("微信支付");
  await drawer.getByRole("button", { name: /^通\s?过$/ }).click();
  await manager.getByRole("dialog", { name: "通过这一步审批" }).getByRole("button", { name: /^通\s?过$/ }).click();
  await expect(manager.getByText("已通过，金额已充入储值卡")).toBeVisible();

  await page.reload();
  await expect(page.getByText("¥500.00").first()).toBeVisible();

  // 消费: more than the balance is refused before the confirmation; ¥120.50 goes through.
  await page.getByRole("button", { name: "消 费" }).click();
  const consume = page.getByRole("dialog", { name: `消费 · ${cardNo}` });
  await consume.getByLabel("金额（元）").fill("500.01");
  await consume.getByRole("button", { name: "下一步" }).click();
  await expect(consume.getByText("余额不足：当前余额 ¥500.00，消费金额不能超过余额")).toBeVisible();
  await consume.getByLabel("金额（元）").fill("120.50");
  await consume.getByRole("button", { name: "下一步" }).click();
  await confirm(page, "确认消费？", `将从卡 ${cardNo} 扣减 ¥120.50（业态：星河购物中心）。`);
  await expect(consume.getByText("消费成功，当前余额 ¥379.50")).toBeVisible();
  await consume.getByRole("button", { name: CLOSE }).click();

  // The history: consumption, recharge and issue, newest first, with the operator.
  const rows = historyRows(page);
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText("消费");
  await expect(rows.nth(0)).toContainText("-¥120.50");
  await expect(rows.nth(0)).toContainText("¥379.50");
  await expect(rows.nth(1)).toContainText("充值");
  await expect(rows.nth(1)).toContainText("¥500.00");
  await expect(rows.nth(1)).toContainText("微信支付");
  await expect(rows.nth(2)).toContainText("开卡");
  const { rows: cards } = await api.get<{ id: string; balance_fen: number }>(`stored_value_cards?card_no=eq.${cardNo}&select=id,balance_fen`);
  expect(Number(cards[0].balance_fen)).toBe(37_950);
  const { rows: entries } = await api.get<Entry>(`card_ledger?card_id=eq.${cards[0].id}&select=kind,amount_fen,balance_after&order=id`);
  expect(entries.map((e) => [e.kind, Number(e.amount_fen), Number(e.balance_after)])).toEqual([
    ["issue", 0, 0], ["recharge", 50_000, 50_000], ["consume", -12_050, 37_950],
  ]);

  // The member's 360 page lists the card with its balance.
  await page.goto(`/members/show/${member.id}`);
  await page.getByRole("tab", { name: "储值卡" }).click();
  await expect(page.getByRole("tabpanel").getByRole("row", { name: new RegExp(cardNo) })).toContainText("¥379.50");

  // The consumption report shows it and exports it to Excel.
  await page.goto("/cards?tab=report");
  await page.getByRole("combobox", { name: "业态" }).click();
  await pick(page, "星河购物中心");
  await page.keyboard.press("Escape");
  const reportRow = page.getByRole("row", { name: new RegExp(cardNo) });
  await expect(reportRow).toContainText("120.50");
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "导出 Excel" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^储值卡消费报表-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  const sheet = workbook.worksheets[0];
  const header = (sheet.getRow(1).values as string[]).slice(1);
  expect(header).toContain("卡号");
  const line = sheet.getRows(2, sheet.rowCount - 1)!.map((r) => (r.values as string[]).slice(1)).find((v) => v.includes(cardNo));
  expect(line).toBeDefined();
  expect(line).toContain("120.50");
});

test("a lost card refuses use: the page offers no money operations and the server says why", async ({ page }) => {
  test.setTimeout(120_000);
  const api = await apiAs("staff@demo.test");
  const { rows: units } = await api.get<{ id: string }>("business_units?select=id&code=eq.mall");
  const issued = await api.post<{ card_id: string; card_no: string }>("rpc/issue_card", {
    p_business_unit_id: units[0].id, p_type_code: "standard", p_idempotency_key: `e2e-${Date.now()}`,
  });
  await api.post("rpc/recharge_card", {
    p_card_id: issued.card_id, p_business_unit_id: units[0].id, p_amount_fen: 10_000, p_channel: "cash", p_idempotency_key: `e2e-r-${Date.now()}`,
  });
  await signIn(page, "staff@demo.test");
  await expect(page.getByRole("menu")).toBeVisible();
  await page.goto(`/cards/show/${issued.card_id}`);
  await page.getByRole("button", { name: "挂 失" }).click();
  const dialog = page.getByRole("dialog", { name: `挂失 · ${issued.card_no}` });
  await dialog.getByRole("button", { name: "下一步" }).click();
  await expect(dialog.getByText("请填写原因，将记入审计日志")).toBeVisible();
  await dialog.getByLabel("说明").fill("顾客来电挂失");
  await dialog.getByRole("button", { name: "下一步" }).click();
  await confirm(page, "确认挂失？", `卡 ${issued.card_no} 将挂失，原因将记入审计日志。`);
  await expect(dialog.getByText("卡状态已改为「挂失」")).toBeVisible();
  await dialog.getByRole("button", { name: CLOSE }).click();
  await expect(page.getByRole("button", { name: "消 费" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "解除挂失" })).toBeVisible();
  await expect(page.getByText("顾客来电挂失")).toBeVisible();
  // In English: the same page, its status and actions translated.
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: `Stored-value card · ${issued.card_no}` })).toBeVisible();
  await expect(page.getByText("Reported lost", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel loss report" })).toBeVisible();
  await expect(page.getByText("¥100.00").first()).toBeVisible();
  await page.getByRole("button", { name: "中文" }).click();
  // The database refuses a consumption anyway, with the reason.
  const response = await api.raw("rpc/consume_card", {
    method: "POST",
    body: { p_card_id: issued.card_id, p_business_unit_id: units[0].id, p_amount_fen: 1, p_idempotency_key: `e2e-c-${Date.now()}` },
  });
  expect(response.status).toBe(400);
  const refused = ((await response.json()) as { hint: string }).hint;
  expect(refused).toBe("card_lost");
});

test("analyst: reads cards and the consumption report, without any card operation", async ({ page }) => {
  const staff = await apiAs("staff@demo.test");
  const { rows: units } = await staff.get<{ id: string }>("business_units?select=id&code=eq.mall");
  const issued = await staff.post<{ card_id: string; card_no: string }>("rpc/issue_card", {
    p_business_unit_id: units[0].id, p_type_code: "vip", p_idempotency_key: `e2e-a-${Date.now()}`,
  });
  await signIn(page, "analyst@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "储值卡", exact: true }).click();
  await expect(page.getByRole("heading", { name: "储值卡" })).toBeVisible();
  await expect(page.getByRole("button", { name: /^开\s?卡$/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "批量充值" })).toHaveCount(0);
  await page.getByRole("searchbox", { name: "按卡号搜索" }).fill(issued.card_no);
  await page.getByRole("searchbox", { name: "按卡号搜索" }).press("Enter");
  await page.getByRole("link", { name: issued.card_no }).click();
  await expect(page.getByRole("heading", { name: `储值卡详情 · ${issued.card_no}` })).toBeVisible();
  await expect(page.getByText("VIP 卡")).toBeVisible();
  for (const name of [/^充\s?值$/, /^消\s?费$/, /^冻\s?结$/, /^挂\s?失$/, /^换\s?卡$/]) {
    await expect(page.getByRole("button", { name })).toHaveCount(0);
  }
  await page.getByRole("menu").getByRole("link", { name: "储值卡", exact: true }).click();
  await page.getByRole("tab", { name: "消费报表" }).click();
  await expect(page.getByRole("button", { name: "导出 Excel" })).toBeVisible();
});
