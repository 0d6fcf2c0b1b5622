import { expect, test } from "./fixtures";
import { apiAs, createMember, signIn } from "./helpers";

/** antd puts a space between two CJK characters of a button ("撤 销"). */
const spaced = (text: string) => new RegExp(`^${[...text].join("\\s?")}$`);
const DISCOUNT = "会员专享折扣 9 折";

interface Grant { definition_key: string; source: string; uses_total: number; status: string }

test("a list grant through approval: mall staff list two members, the mall manager approves, the counter marks it not with points, the manager revokes it", async ({ page, guard }) => {
  test.setTimeout(300_000);
  const staffApi = await apiAs("staff@demo.test");
  const first = await createMember(staffApi, "批量会员");
  const second = await createMember(staffApi, "批量会员");
  const grantsOf = async (memberId: string) =>
    (await staffApi.get<Grant>(`benefit_grants?member_id=eq.${memberId}&definition_key=eq.member-discount-90&select=definition_key,source,uses_total,status`)).rows;

  // The list with an unknown member number is refused on purpose.
  guard.allow(/status of 400 \(Bad Request\) .*\/rest\/v1\/rpc\/request_benefit_campaign/);
  // Mall staff open the benefit and list the two members (one by member number, one by phone) and a number no member has.
  await signIn(page, "staff@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "权益配置" }).click();
  await page.getByRole("link", { name: DISCOUNT }).or(page.getByRole("button", { name: DISCOUNT })).first().click();
  await page.getByRole("button", { name: "批量发放" }).click();
  const dialog = page.getByRole("dialog", { name: new RegExp(`批量发放权益 · ${DISCOUNT}`) });
  await dialog.getByLabel("会员清单").fill(`${first.member_no}\n${second.phone}、M00000000`);
  await expect(dialog.getByText("已识别 3 个")).toBeVisible();
  await dialog.getByLabel("每位会员次数").fill("2");
  await dialog.getByLabel("发放原因").fill("会员日老客回馈");
  await dialog.getByRole("button", { name: "提交审批" }).click();
  await page.getByRole("dialog", { name: "确认提交批量发放申请？" }).getByRole("button", { name: spaced("提交") }).click();
  // The server refuses the whole list, in Chinese, and files nothing.
  await expect(dialog.getByText("清单中有会员号或手机号找不到对应会员，请核对后重新提交")).toBeVisible();
  await dialog.getByLabel("会员清单").fill(`${first.member_no}\n${second.phone}`);
  await dialog.getByRole("button", { name: "提交审批" }).click();
  await page.getByRole("dialog", { name: "确认提交批量发放申请？" }).getByRole("button", { name: spaced("提交") }).click();
  await expect(dialog.getByText("已提交批量发放申请")).toBeVisible();
  await dialog.getByRole("button", { name: /^关\s?闭$/ }).click();
  expect(await grantsOf(first.id)).toEqual([]);

  // The mall manager finds it in the queue with its size, reads the list and approves.
  const manager = await guard.newPage();
  await signIn(manager, "mall.manager@demo.test");
  await manager.getByRole("menu").getByRole("link", { name: /审批中心/ }).click();
  const row = manager.getByRole("row", { name: new RegExp(`批量发放「${DISCOUNT}」· 2 位会员`) });
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: new RegExp(`批量发放「${DISCOUNT}」`) }).click();
  const drawer = manager.getByRole("dialog");
  await expect(drawer.getByTestId("campaign-request-members")).toContainText(first.member_no);
  await expect(drawer.getByTestId("campaign-request-members")).toContainText(second.member_no);
  await drawer.getByRole("button", { name: spaced("通过") }).click();
  await manager.getByRole("dialog", { name: "通过这一步审批" }).getByRole("button", { name: spaced("通过") }).click();
  await expect(manager.getByText("已批准，权益已发放给清单中的会员")).toBeVisible();
  for (const member of [first, second]) {
    expect(await grantsOf(member.id)).toEqual([{ definition_key: "member-discount-90", source: "campaign", uses_total: 2, status: "active" }]);
  }

  // At the counter the discount is usable, until the clerk says the purchase is paid partly with points.
  await page.getByRole("menu").getByRole("link", { name: "柜台核销", exact: true }).click();
  await page.getByText("手机号", { exact: true }).click();
  const box = page.getByRole("searchbox", { name: "手机号" });
  await box.fill(first.phone);
  await box.press("Enter");
  const discountRow = page.getByTestId("counter-benefits").getByRole("row", { name: new RegExp(DISCOUNT) });
  await expect(discountRow.getByText("可用")).toBeVisible();
  await page.getByRole("switch", { name: "本次消费使用积分抵扣" }).click();
  await expect(discountRow.getByText("不可叠加使用")).toBeVisible();
  await expect(discountRow.getByRole("button", { name: `核销 ${DISCOUNT}` })).toBeDisabled();

  // The mall manager revokes the first member's grant from the member's 权益 tab, with a reason.
  await manager.goto(`/members/show/${first.id}`);
  await manager.getByRole("tab", { name: "权益" }).click();
  await manager.getByRole("button", { name: `撤销 ${DISCOUNT}` }).click();
  const revoke = manager.getByRole("dialog", { name: `撤销权益 · ${DISCOUNT}` });
  await revoke.getByRole("button", { name: "撤销权益" }).click();
  await expect(revoke.getByText("请填写撤销原因")).toBeVisible();
  await revoke.getByLabel("撤销原因").fill("会员要求取消");
  await revoke.getByRole("button", { name: "撤销权益" }).click();
  await manager.getByRole("dialog", { name: "确认撤销这项权益？" }).getByRole("button", { name: spaced("撤销") }).click();
  await expect(revoke.getByText(`已撤销「${DISCOUNT}」`)).toBeVisible();
  await revoke.getByRole("button", { name: /^关\s?闭$/ }).click();
  await expect(manager.getByTestId("member-grants").getByRole("row", { name: new RegExp(DISCOUNT) }).getByText("已作废")).toBeVisible();
  expect((await grantsOf(first.id))[0].status).toBe("revoked");
  expect((await grantsOf(second.id))[0].status).toBe("active");
});
