import { expect, test, type Page } from "./fixtures";
import { apiAs, asSuperuser, createMember, signIn, unitId } from "./helpers";

const rows = (page: Page) => page.locator(".ant-table-tbody").first().getByRole("row");
const tabRows = (page: Page) => page.getByRole("tabpanel").locator(".ant-table-tbody").first().getByRole("row");
const CLOSE = /^关\s?闭$/;
const choose = (page: Page, text: string | RegExp) =>
  page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: text }).first().click();

test("tier programme: an admin sets an upgrade gift and an offer; a purchase upgrades a member with the gift lot; staff sell a paid membership the unit manager approves", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const run = Date.now().toString(36);
  const gift = 777;
  const tiers = await asSuperuser(async (db) => {
    // a fresh offer each run: the diamond tier for a quarter (offers are unique per tier and period)
    await db.query(`delete from tier_purchases where offer_id in
                      (select o.id from tier_offers o join tiers t on t.id = o.tier_id where t.code = 'diamond' and o.period = 'quarter')`);
    await db.query("delete from tier_offers o using tiers t where t.id = o.tier_id and t.code = 'diamond' and o.period = 'quarter'");
    await db.query("update tiers set upgrade_gift_points = 0 where code = 'silver'");
    return (await db.query("select id, code, growth_threshold from tiers")).rows as { id: string; code: string; growth_threshold: number }[];
  });
  const silver = tiers.find((t) => t.code === "silver")!;
  try {
    // 1. The admin sets the silver tier's upgrade gift through the tier form (with a reason) and puts an offer on sale.
    await signIn(page, "admin@demo.test");
    await page.getByRole("menu").getByRole("link", { name: "会员等级", exact: true }).click();
    await rows(page).filter({ hasText: "银卡" }).getByRole("button", { name: "edit" }).click();
    await expect(page).toHaveURL(new RegExp(`/tiers/edit/${silver.id}$`));
    await page.getByRole("spinbutton", { name: "升级礼包积分" }).fill(String(gift));
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByLabel("修改原因").fill(`E2E 升级礼包 ${run}`);
    await page.getByRole("button", { name: "保存" }).click();
    await expect(page).toHaveURL(/\/tiers$/);
    await expect(rows(page).filter({ hasText: "银卡" })).toContainText(String(gift));

    const offers = page.getByTestId("tier-offers");
    await offers.getByLabel("等级").click();
    await choose(page, "钻石卡");
    await offers.getByLabel("周期").click();
    await choose(page, "3个月");
    await offers.getByLabel("价格（元）").fill("999");
    await offers.getByRole("button", { name: "新增方案" }).click();
    await expect(offers.getByRole("row").filter({ hasText: "钻石卡" })).toContainText("3个月");
    await expect(offers.getByRole("row").filter({ hasText: "钻石卡" })).toContainText("999.00");

    // 2. A purchase whose growth crosses the silver threshold upgrades the member; the 360 page shows the gift lot.
    const api = await apiAs("staff@demo.test");
    const member = await createMember(api);
    const { transaction_id: txn } = await api.post<{ transaction_id: string }>("rpc/record_transaction", {
      p_member_id: member.id, p_business_unit_id: await unitId(api, "mall"), p_order_no: `E2E-TIER-${run}`,
      p_amount: silver.growth_threshold + 1,
    });
    await expect
      .poll(async () => (await api.get(`transaction_growth?transaction_id=eq.${txn}&select=transaction_id`)).total, { timeout: 30_000 })
      .toBe(1);

    const staff = await browser.newContext();
    const staffPage = await staff.newPage();
    await signIn(staffPage, "staff@demo.test");
    await expect(staffPage.getByRole("menu")).toBeVisible();
    await staffPage.goto(`/members/show/${member.id}`);
    await expect(staffPage.getByRole("heading", { name: `${member.name} · ${member.member_no}` })).toBeVisible();
    await expect(staffPage.getByText("银卡", { exact: true })).toBeVisible();
    await expect(tabRows(staffPage).filter({ hasText: "活动" })).toContainText(String(gift));
    await staffPage.getByRole("tab", { name: "等级变更" }).click();
    await expect(tabRows(staffPage).first()).toContainText("银卡");

    // 3. Staff sell the paid diamond membership: a request the mall's manager approves after checking the payment;
    // then the profile shows it with its end date.
    await staffPage.getByRole("button", { name: "购买会员" }).click();
    const dialog = staffPage.getByRole("dialog", { name: `购买付费会员 · ${member.name}` });
    await dialog.getByLabel("会员方案").click();
    await choose(staffPage, /钻石卡 · 3个月/);
    await expect(dialog).toContainText("星河购物中心");
    await dialog.getByLabel("支付流水号").fill(`PAY-${run}`);
    await dialog.getByRole("button", { name: /提交销售申请|提 交 销 售 申 请/ }).click();
    await expect(dialog.getByText("已提交销售申请，业态负责人核对收款并审批后开通")).toBeVisible();
    await dialog.getByRole("button", { name: CLOSE }).click();
    await expect(staffPage.getByTestId("paid-tier")).toHaveCount(0);

    const manager = await browser.newContext();
    const managerPage = await manager.newPage();
    await signIn(managerPage, "mall.manager@demo.test");
    await managerPage.getByRole("menu").getByRole("link", { name: /审批中心/ }).click();
    const request = managerPage.getByRole("row", { name: new RegExp(`${member.name} 购买付费会员`) });
    await request.getByRole("button", { name: `${member.name} 购买付费会员` }).click();
    const drawer = managerPage.getByRole("dialog");
    await expect(drawer).toContainText(`PAY-${run}`);
    await expect(drawer).toContainText("钻石卡");
    await drawer.getByRole("button", { name: /^通\s?过$/ }).click();
    await managerPage.getByRole("dialog", { name: "通过这一步审批" }).getByRole("button", { name: /^通\s?过$/ }).click();
    await expect(managerPage.getByText("已通过，付费会员已开通")).toBeVisible();
    await manager.close();

    await staffPage.reload();
    await expect(staffPage.getByTestId("paid-tier")).toContainText("钻石卡，有效期至");
    await expect(staffPage.getByText("成长值对应等级：银卡")).toBeVisible();
    const purchase = await asSuperuser(async (db) =>
      (await db.query("select payment_ref, period from tier_purchases where member_id = $1", [member.id])).rows);
    expect(purchase).toEqual([{ payment_ref: `PAY-${run}`, period: "quarter" }]);
    await staff.close();
  } finally {
    await asSuperuser((db) => db.query("update tiers set upgrade_gift_points = 0 where code = 'silver'"));
  }
});
