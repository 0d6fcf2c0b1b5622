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
