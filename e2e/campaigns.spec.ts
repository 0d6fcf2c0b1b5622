import { expect, test, type Page } from "./fixtures";
import { apiAs, asSuperuser, createMember, signIn, unitId, type Api, type TestMember } from "./helpers";
import { buildInactiveGoldSegment } from "./segment-steps";

/** antd puts a space between two CJK characters of a button ("通 过"). */
const spaced = (text: string) => new RegExp(`^${[...text].join("\\s?")}$`);

/** A gold member whose last purchase was 200 days ago: in the segment of gold members inactive for 90 days. */
async function sleepingGoldMember(staff: Api, mall: string): Promise<TestMember> {
  const member = await createMember(staff, "沉睡金卡");
  await asSuperuser(async (db) => {
    await db.query("update members set tier_id = (select id from tiers where code = 'gold') where id = $1", [member.id]);
    await db.query("insert into transactions (business_unit_id, order_no, member_id, amount, occurred_at) values ($1, $2, $3, 88, now() - interval '200 days')",
      [mall, `E2E-CMP-OLD-${Date.now()}-${member.phone}`, member.id]);
  });
  return member;
}

/** Picks an option of the antd select labelled `label` inside the form. */
async function pick(page: Page, label: string, option: string | RegExp) {
  await page.getByLabel(label, { exact: true }).click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: option }).first().click();
}

test("an operations user launches a double-points campaign for sleeping gold members at the mall; after approval a member's purchase shows as uptake with its bonus points", async ({ page, guard }) => {
  test.setTimeout(300_000);
  const staff = await apiAs("staff@demo.test");
  const marketing = await apiAs("marketing@demo.test");
  const mall = await unitId(staff, "mall");
  const sleepers = [await sleepingGoldMember(staff, mall), await sleepingGoldMember(staff, mall)];
  const stamp = Date.now().toString(36);
  const segmentKey = `e2e-sleeping-gold-${stamp}`;
  const segmentName = `沉睡金卡${stamp.slice(-4)}`;
  const campaignName = `沉睡金卡双倍积分${stamp.slice(-4)}`;

  // The operations user builds the segment in the visual editor and publishes it (e2e/segment-steps.ts).
  await signIn(page, "marketing@demo.test");
  const segmentSize = await buildInactiveGoldSegment(page, segmentKey, segmentName);

  // 营销 → 营销活动 → 新建活动 (the 营销 group is still open from the segment).
  const campaignsLink = page.getByRole("menu").getByRole("link", { name: "营销活动", exact: true });
  if (!(await campaignsLink.isVisible())) await page.getByRole("menu").getByText("营销", { exact: true }).click();
  await campaignsLink.click();
  await expect(page.getByRole("heading", { name: "营销活动" })).toBeVisible();
  await page.getByRole("button", { name: "新建活动" }).click();
  await expect(page.getByRole("heading", { name: "新建营销活动" })).toBeVisible();

  // Checked before anything is sent: an empty form names what is missing.
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByText("活动名称须为 1 至 100 个字符")).toBeVisible();
  await expect(page.getByText("所选客群不存在或尚未发布")).toBeVisible();

  await page.getByLabel("活动名称").fill(campaignName);
  await page.getByLabel("标识").fill(`e2e-double-${stamp}`);
  await pick(page, "目标客群", new RegExp(`${segmentName}（${segmentSize.toLocaleString("en-US")} 人）`));
  const start = page.getByPlaceholder("开始时间");
  const today = new Date();
  const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  await start.click();
  await start.fill(`${day(today)} 00:00`);
  await start.press("Enter");
  const end = page.getByPlaceholder("结束时间");
  await end.fill(`${day(new Date(today.getTime() + 30 * 86_400_000))} 23:59`);
  await end.press("Enter");
  await pick(page, "适用业态", "星河购物中心");
  await page.keyboard.press("Escape");
  await page.getByRole("spinbutton", { name: "积分倍数" }).fill("2");
  await page.getByRole("spinbutton", { name: "预算（元）" }).fill("5000");
  await page.getByRole("spinbutton", { name: "对照组比例" }).fill("10");

  // Leaving with unsaved work asks first; staying keeps it.
  const asked = new Promise<string>((resolve) => {
    page.once("dialog", async (dialog) => {
      resolve(`${dialog.type()}: ${dialog.message()}`);
      await dialog.dismiss();
    });
  });
  await page.getByRole("menu").getByRole("link", { name: "客群", exact: true }).click();
  expect(await asked).toBe("confirm: 有尚未保存的修改，确定离开吗？");
  await expect(page.getByRole("heading", { name: "新建营销活动" })).toBeVisible();
  await expect(page.getByLabel("活动名称")).toHaveValue(campaignName);

  // 提交审批: saved as a draft, then filed for approval.
  await page.getByRole("button", { name: "提交审批" }).click();
  const confirm = page.getByRole("dialog", { name: "提交活动审批？" });
  await expect(confirm).toContainText(segmentName);
  await confirm.getByRole("button", { name: "提交审批" }).click();
  await expect(page.getByText("已提交审批")).toBeVisible();
  await expect(page.getByText("审批中", { exact: true }).first()).toBeVisible();
  const [campaign] = (await marketing.get<{ id: string; status: string; approval_request_id: string; budget_fen: number; offer: { multiplier: number } }>(
    `campaigns?name=eq.${encodeURIComponent(campaignName)}&select=id,status,approval_request_id,budget_fen,offer`)).rows;
  expect(campaign).toMatchObject({ status: "pending", budget_fen: 500_000, offer: { multiplier: 2 } });
  await expect(page).toHaveURL(new RegExp(`/campaigns/${campaign.id}$`));

  // The mall's manager (the paying unit) sees the launch in 审批中心 with what it offers to whom, and approves.
  const manager = await guard.newPage();
  await signIn(manager, "mall.manager@demo.test");
  await manager.getByRole("menu").getByRole("link", { name: /审批中心/ }).click();
  const row = manager.getByRole("row", { name: new RegExp(campaignName) });
  await expect(row).toBeVisible();
  await expect(row).toContainText("¥5,000.00");
  await row.getByRole("button", { name: new RegExp(campaignName) }).click();
  const drawer = manager.getByRole("dialog");
  const details = drawer.getByTestId("campaign-launch-details");
  await expect(details).toContainText(segmentName);
  await expect(details.getByTestId("campaign-launch-count")).toHaveText(`${segmentSize.toLocaleString("en-US")} 人`);
  await expect(details).toContainText("积分倍数 ×2");
  await expect(details).toContainText("星河购物中心");
  await expect(details).toContainText("对照组 10%");
  await drawer.getByRole("button", { name: spaced("通过") }).click();
  await manager.getByRole("dialog", { name: "通过这一步审批" }).getByRole("button", { name: spaced("通过") }).click();
  await expect(manager.getByText("已批准，活动将按时上线")).toBeVisible();

  // Approved: the segment's members are in arm a or the holdout; the engine starts the campaign in its period.
  const members = await asSuperuser(async (db) =>
    (await db.query<{ member_id: string; arm: string }>("select member_id, arm from campaign_members where campaign_id = $1", [campaign.id])).rows);
  expect(members.length).toBe(segmentSize);
  const treated = members.filter((m) => m.arm === "a").map((m) => m.member_id);
  expect(treated.length).toBeGreaterThan(0);
  const buyerId = sleepers.find((m) => treated.includes(m.id))?.id ?? treated[0];
  await expect.poll(async () => (await marketing.get<{ status: string }>(`campaigns?id=eq.${campaign.id}&select=status`)).rows[0].status,
    { timeout: 90_000, intervals: [2_000] }).toBe("running");

  // A member of the segment buys at the mall (the mall's staff through the API); the engine earns it with the bonus.
  const { transaction_id: transactionId } = await staff.post<{ transaction_id: string }>("rpc/record_transaction", {
    p_member_id: buyerId, p_business_unit_id: mall, p_order_no: `E2E-CMP-${stamp}`, p_amount: 1_000,
  });
  await expect.poll(async () => (await staff.get(`transaction_earnings?transaction_id=eq.${transactionId}&select=transaction_id`)).total, { timeout: 30_000 }).toBe(1);
  const given = await asSuperuser(async (db) =>
    (await db.query<{ points: number }>("select points from campaign_offers_given where campaign_id = $1 and member_id = $2", [campaign.id, buyerId])).rows);
  expect(given).toHaveLength(1);
  const bonus = Number(given[0].points);
  expect(bonus).toBeGreaterThan(0);

  // The result page: uptake 1, the bonus points in the cost, the arm against the holdout, uptake by day.
  await page.reload();
  const kpis = page.getByTestId("campaign-kpis");
  await expect(kpis.getByRole("region", { name: "参与人数" })).toContainText(/^参与人数\s*1(?!\d)/);
  await expect(kpis.getByRole("region", { name: "触达人数" })).toContainText(treated.length.toLocaleString("en-US"));
  await expect(page.getByTestId("campaign-cost-points")).toHaveText(`含赠送积分 ${bonus.toLocaleString("en-US")}`);
  const arms = page.getByTestId("campaign-arms-table");
  await expect(arms.getByRole("row", { name: /A 组/ })).toContainText("¥1,000.00");
  const holdout = members.filter((m) => m.arm === "holdout").length;
  await expect(arms.getByRole("row", { name: /对照组/ })).toHaveText(new RegExp(`^对照组\\s*${holdout}\\s*0\\s*¥0\\.00`));
  const byDay = page.getByTestId("campaign-by-day");
  await expect(byDay.getByRole("application")).toBeVisible();
  await expect(byDay.getByRole("img", { name: "参与人数 legend icon" })).toBeVisible();

  // The list shows it running with its budget in use.
  await page.getByRole("menu").getByRole("link", { name: "营销活动", exact: true }).click();
  const listRow = page.getByRole("row", { name: new RegExp(campaignName) });
  await expect(listRow).toContainText("进行中");
  await expect(listRow).toContainText("¥5,000.00");
  await expect(listRow).toContainText("星河购物中心");
  await expect(listRow).toContainText(segmentName);

  // In English the same pages speak English (a missing translation would be a console error).
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Campaigns" })).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(campaignName) })).toContainText("Running");
  await page.getByRole("row", { name: new RegExp(campaignName) }).getByRole("link", { name: "Open" }).click();
  await expect(page.getByTestId("campaign-kpis").getByRole("region", { name: "Uptake" })).toContainText(/^Uptake\s*1(?!\d)/);
  await expect(page.getByTestId("campaign-cost-points")).toHaveText(`Incl. ${bonus.toLocaleString("en-US")} bonus points`);
});
