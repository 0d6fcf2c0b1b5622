import { expect, test, type Page } from "./fixtures";
import { apiAs, createMember, signIn, unitId, type Api, type TestMember } from "./helpers";

interface Usable {
  grant_id: string;
  kind: string;
  name: string;
  uses_left: number;
  code: string | null;
  usable: boolean;
  refusal: string | null;
}

/** antd puts a space between two CJK characters of a button ("关 闭"). */
const CLOSE = /^关\s?闭$/;

/** What usable_benefits answers for the member at a unit (as `api`). */
const usableAt = (api: Api, member: TestMember, unit: string) =>
  api.post<Usable[]>("rpc/usable_benefits", { p_member_id: member.id, p_business_unit_id: unit });

/** The counter page of the signed-in user, with the member found by phone. */
async function findByPhone(page: Page, member: TestMember) {
  await page.getByRole("menu").getByRole("link", { name: "柜台核销", exact: true }).click();
  await expect(page.getByRole("heading", { name: "柜台核销" })).toBeVisible();
  await page.getByText("手机号", { exact: true }).click();
  const box = page.getByRole("searchbox", { name: "手机号" });
  await box.fill(member.phone);
  await box.press("Enter");
  await expect(page.getByTestId("counter-member")).toContainText(member.name);
}

/** Types a coupon code in the counter's coupon box and asks to redeem it. */
async function tryCoupon(page: Page, code: string) {
  await page.getByLabel("券码", { exact: true }).fill(code.toLowerCase());
  await page.getByRole("button", { name: "核销券码" }).click();
}

test("counter: a gold member's free parking verified at the mall; a mall purchase's hotel coupon redeemed once, at the hotel only", async ({ page, guard }) => {
  test.setTimeout(240_000);
  const staff = await apiAs("staff@demo.test");
  const mall = await unitId(staff, "mall");
  const member = await createMember(staff, "权益会员");

  // A mall purchase over the gold threshold: the member turns gold (parking grant) and gets a hotel coupon (>= ¥500).
  await staff.post("rpc/record_transaction", { p_member_id: member.id, p_business_unit_id: mall, p_order_no: `E2E-B-${Date.now()}`, p_amount: 10_001 });
  let benefits: Usable[] = [];
  await expect
    .poll(async () => {
      benefits = await usableAt(staff, member, mall);
      return [benefits.some((b) => b.kind === "parking_hours" && b.usable), benefits.some((b) => b.kind === "coupon")];
    }, { timeout: 90_000, intervals: [1_000] })
    .toEqual([true, true]);
  const parking = benefits.find((b) => b.kind === "parking_hours")!;
  const coupon = benefits.find((b) => b.kind === "coupon")!;
  expect(coupon.code).toMatch(/^[A-HJ-NP-Z2-9]{12}$/);

  // The mall clerk finds the member by phone: gold, phone masked, parking usable here; the hotel coupon greyed with why.
  await signIn(page, "staff@demo.test");
  await findByPhone(page, member);
  const found = page.getByTestId("counter-member");
  await expect(found).toContainText("金卡");
  await expect(found).toContainText(`${member.phone.slice(0, 3)}****${member.phone.slice(-4)}`);
  const list = page.getByTestId("counter-benefits");
  const parkingRow = list.getByRole("row", { name: new RegExp(parking.name) });
  await expect(parkingRow).toContainText("免费停车 · 3 小时");
  await expect(parkingRow).toContainText("可用");
  const couponRow = list.getByRole("row", { name: new RegExp(coupon.code!) });
  await expect(couponRow).toContainText("本业态不适用");
  await expect(couponRow.getByRole("button", { name: /核\s?销/ })).toBeDisabled();

  // Verify one use = 3 hours: more than is left is refused before the confirmation; then confirmed once.
  await parkingRow.getByRole("button", { name: /核\s?销/ }).click();
  const dialog = page.getByRole("dialog", { name: `核销权益 · ${parking.name}` });
  await dialog.getByLabel("核销次数").fill(String(parking.uses_left + 1));
  await dialog.getByRole("button", { name: "下一步" }).click();
  await expect(dialog.getByText(`剩余 ${parking.uses_left} 次，核销次数不能超过剩余次数`)).toBeVisible();
  await dialog.getByLabel("核销次数").fill("1");
  await expect(dialog.getByText(`剩余 ${parking.uses_left} 次，核销次数不能超过剩余次数`)).toHaveCount(0);
  await dialog.getByRole("button", { name: "下一步" }).click();
  const confirm = page.getByRole("dialog", { name: "确认核销？" });
  await expect(confirm).toContainText(`将为 ${member.name}（${member.member_no}）核销「${parking.name}」1 次（共 3 小时），业态：星河购物中心。`);
  await confirm.getByRole("button", { name: "确认核销" }).dblclick();
  await expect(dialog.getByText(`核销成功：「${parking.name}」1 次（共 3 小时），剩余 ${parking.uses_left - 1} 次`)).toBeVisible();
  await dialog.getByRole("button", { name: CLOSE }).click();
  await expect(parkingRow.getByRole("cell", { name: String(parking.uses_left - 1), exact: true })).toBeVisible();
  const { rows: uses } = await staff.get<{ uses: number }>(`benefit_uses?grant_id=eq.${parking.grant_id}&select=uses`);
  expect(uses).toEqual([{ uses: 1 }]); // the double click posted once

  // The mall clerk cannot take the hotel coupon: not accepted at this unit, said before any confirmation.
  await tryCoupon(page, coupon.code!);
  await expect(page.getByTestId("coupon-problem")).toHaveText(`券码 ${coupon.code} 不能使用：本业态不适用`);

  // The member's 权益 tab: the parking use in the history, the coupon with its code.
  await page.goto(`/members/show/${member.id}`);
  await page.getByRole("tab", { name: "权益" }).click();
  await expect(page.getByTestId("member-grants").getByRole("row", { name: new RegExp(coupon.code!) })).toContainText("星河酒店");
  const history = page.getByTestId("member-benefit-uses").locator(".ant-table-tbody").getByRole("row");
  await expect(history).toHaveCount(1);
  await expect(history.first()).toContainText(parking.name);
  await expect(history.first()).toContainText("星河购物中心");

  // Hotel staff redeem the coupon by its code at the hotel counter; a second time it is refused with the reason.
  const hotelPage = await guard.newPage();
  await signIn(hotelPage, "hotel.staff@demo.test");
  await hotelPage.getByRole("menu").getByRole("link", { name: "柜台核销", exact: true }).click();
  await tryCoupon(hotelPage, coupon.code!);
  const couponConfirm = hotelPage.getByRole("dialog", { name: "确认核销券码？" });
  await expect(couponConfirm).toContainText(`券码 ${coupon.code}：${coupon.name}（代金券 · 面值 ¥100.00）`);
  await expect(couponConfirm).toContainText(`持有人 ${member.name}（${member.member_no}）`);
  await couponConfirm.getByRole("button", { name: "确认核销" }).click();
  await expect(hotelPage.getByTestId("coupon-done")).toHaveText(`券码 ${coupon.code} 已核销（${coupon.name}）`);
  await tryCoupon(hotelPage, coupon.code!);
  await expect(hotelPage.getByTestId("coupon-problem")).toHaveText(`券码 ${coupon.code} 不能使用：次数已用完`);
  const hotelApi = await apiAs("hotel.staff@demo.test");
  const { rows: couponUses } = await hotelApi.get(`benefit_uses?grant_id=eq.${coupon.grant_id}&select=id`);
  expect(couponUses).toHaveLength(1);
});

/** antd puts a space between two CJK characters of a button ("通 过"). */
const spaced = (text: string) => new RegExp(`^${[...text].join("\\s?")}$`);

test("a manual grant is an approval request: staff ask on the 权益 tab, the mall manager approves, the member holds it once", async ({ page, guard }) => {
  test.setTimeout(180_000);
  const staff = await apiAs("staff@demo.test");
  const member = await createMember(staff, "手工权益");

  await signIn(page, "staff@demo.test");
  await expect(page.getByRole("menu")).toBeVisible();
  await page.goto(`/members/show/${member.id}`);
  await page.getByRole("tab", { name: "权益" }).click();
  await page.getByRole("button", { name: "申请发放权益" }).click();
  const dialog = page.getByRole("dialog", { name: `申请发放权益 · ${member.name}` });
  await expect(dialog).toContainText("人工发放权益须经审批");
  await dialog.getByLabel("权益", { exact: true }).click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "生日礼遇（礼品）" }).click();
  await dialog.getByLabel("次数").fill("2");
  await dialog.getByLabel("申请原因").fill("会员投诉补偿");
  await dialog.getByRole("button", { name: "提交审批" }).click();
  const confirm = page.getByRole("dialog", { name: "确认提交审批申请？" });
  await expect(confirm).toContainText(`申请为 ${member.name}（${member.member_no}）发放「生日礼遇」2 次，审批通过后发放。`);
  await confirm.getByRole("button", { name: spaced("提交") }).click();
  await expect(dialog.getByText("已提交审批申请")).toBeVisible();
  expect((await staff.get(`benefit_grants?member_id=eq.${member.id}&select=id`)).total).toBe(0); // nothing granted yet
  await dialog.getByRole("link", { name: "在审批中心查看" }).click();
  await expect(page).toHaveURL(/\/approvals\?tab=mine&request=/);
  await expect(page.getByRole("dialog").getByTestId("grant-request-benefit")).toHaveText("生日礼遇（礼品）");

  // The mall manager's queue: member and benefit, the uses; approved, the benefit is granted once.
  const manager = await guard.newPage();
  await signIn(manager, "mall.manager@demo.test");
  await manager.getByRole("menu").getByRole("link", { name: /审批中心/ }).click();
  const row = manager.getByRole("row", { name: new RegExp(`${member.name} · 生日礼遇`) });
  await expect(row).toContainText("2 次");
  await row.getByRole("button", { name: spaced("通过") }).click();
  await manager.getByRole("dialog").getByLabel("审批意见").fill("同意");
  await manager.getByRole("dialog").getByRole("button", { name: spaced("通过") }).click();
  await expect(manager.getByText("已批准，权益已发放给会员")).toBeVisible();
  await expect
    .poll(async () => (await staff.get<{ source: string; uses_total: number }>(`benefit_grants?member_id=eq.${member.id}&select=source,uses_total`)).rows)
    .toEqual([{ source: "approval", uses_total: 2 }]);

  // The member's 权益 tab lists it: uses left of total, the source in words, the rules.
  await page.goto(`/members/show/${member.id}`);
  await page.getByRole("tab", { name: "权益" }).click();
  const grant = page.getByTestId("member-grants").getByRole("row", { name: /生日礼遇/ });
  await expect(grant).toContainText("2 / 2");
  await expect(grant).toContainText("审批发放");
  await expect(grant).toContainText("适用业态：星河购物中心");
});

test("权益配置: the seeded pool in words; a new benefit drafted, saved and published by the administrator", async ({ page }) => {
  test.setTimeout(150_000);
  const key = `e2e-${Date.now().toString(36)}`;
  await signIn(page, "admin@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "权益配置", exact: true }).click();
  await expect(page.getByRole("heading", { name: "权益配置" })).toBeVisible();
  const coupon = page.getByRole("row", { name: /酒店 100 元代金券/ });
  await expect(coupon).toContainText("代金券 · 面值 ¥100.00");
  await expect(coupon).toContainText("星河酒店");
  await expect(coupon).toContainText("消费满足条件");
  await coupon.getByRole("link", { name: "酒店 100 元代金券" }).click();
  await expect(page.getByRole("heading", { name: "酒店 100 元代金券 · v1" })).toBeVisible();
  // The purchase condition reads in the visual editor (no raw expression).
  await expect(page.getByText("消费满足以下条件时发放")).toBeVisible();
  await expect(page.getByText("此条件无法用可视化编辑器表示")).toHaveCount(0);

  await page.getByRole("menu").getByRole("link", { name: "权益配置", exact: true }).click();
  await page.getByRole("button", { name: "新建权益" }).click();
  const create = page.getByRole("dialog", { name: "新建权益" });
  await create.getByLabel("标识").fill(key);
  await create.getByLabel("名称").fill("周末免费停车");
  await create.getByLabel("类型").click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "免费停车" }).click();
  await create.getByLabel("发放业态").click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "星河购物中心" }).click();
  await create.getByRole("button", { name: "创建草稿" }).click();
  await expect(page).toHaveURL(new RegExp(`/benefits/${key}$`));
  await expect(page.getByRole("heading", { name: "周末免费停车 · v1" })).toBeVisible();
  await page.getByLabel(/^每期次数/).fill("2");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByText("草稿已保存")).toBeVisible();
  await page.getByRole("button", { name: spaced("发布") }).click();
  await page.getByRole("dialog", { name: "发布 v1？" }).getByRole("button", { name: spaced("发布") }).click();
  await expect(page.getByText("已发布 v1")).toBeVisible();
  const admin = await apiAs("admin@demo.test");
  const { rows } = await admin.get<{ status: string; uses_per_period: number; kind: string }>(`benefit_definitions?key=eq.${key}&select=status,uses_per_period,kind`);
  expect(rows).toEqual([{ status: "published", uses_per_period: 2, kind: "parking_hours" }]);
});
