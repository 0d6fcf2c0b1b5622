import { expect, test, type Page } from "./fixtures";
import { apiAs, createMember, signIn, type Api, type TestMember } from "./helpers";

const balanceOf = async (api: Api, member: TestMember) =>
  Number((await api.get<{ balance: number }>(`point_balances?member_id=eq.${member.id}&select=balance`)).rows[0]?.balance ?? 0);

/** antd puts a space between two CJK characters of a button ("通 过"). */
const spaced = (text: string) => new RegExp(`^${[...text].join("\\s?")}$`);

async function requestAdjustment(page: Page, member: TestMember, points: string) {
  await expect(page.getByRole("menu")).toBeVisible();
  await page.goto(`/members/show/${member.id}`);
  await page.getByRole("button", { name: "申请积分调整" }).click();
  await expect(page).toHaveURL(/\/approvals\/new\?member=/);
  await expect(page.getByText(`${member.name} 当前余额 0 积分`)).toBeVisible();
  await page.getByLabel(/^调整积分/).fill(points);
  await page.getByLabel("原因类别").click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "大客户补偿" }).click();
  await page.getByLabel("原因说明").fill("客房空调故障，按规定补偿积分");
  await page.getByRole("button", { name: "提交申请" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "提交申请" }).click();
  await expect(page).toHaveURL(/\/approvals\?tab=mine&request=/);
  await expect(page.getByRole("dialog").getByText("审批中")).toBeVisible();
}

async function approveInQueue(page: Page, member: TestMember) {
  await page.getByRole("menu").getByRole("link", { name: /审批中心/ }).click();
  const row = page.getByRole("row", { name: new RegExp(member.name) });
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: spaced("通过") }).click();
  await page.getByRole("dialog").getByLabel("审批意见").fill("同意");
  await page.getByRole("dialog").getByRole("button", { name: spaced("通过") }).click();
}

test("points compensation: hotel staff requests +2,000, the hotel manager and the director approve, the ledger shows it", async ({ page, guard }) => {
  test.setTimeout(180_000);
  const staffApi = await apiAs("hotel.staff@demo.test");
  const member = await createMember(staffApi, "审批会员");

  await signIn(page, "hotel.staff@demo.test");
  await requestAdjustment(page, member, "2000");
  await expect(page.getByRole("dialog").getByText("业态负责人审批").first()).toBeVisible();

  // The requester may not approve, and analysts see no approval centre at all.
  expect(await balanceOf(staffApi, member)).toBe(0);

  const manager = await guard.newPage();
  await signIn(manager, "manager@demo.test");
  await approveInQueue(manager, member);
  await expect(manager.getByText("已通过，申请进入下一步审批")).toBeVisible();
  expect(await balanceOf(staffApi, member)).toBe(0);

  // The director decides on a phone-sized screen.
  const director = await guard.newPage();
  await director.setViewportSize({ width: 390, height: 844 });
  await signIn(director, "director@demo.test");
  // Signed in (the session stored) before navigating; on a phone the menu is folded away, so wait on the address.
  await director.waitForURL((url) => !url.pathname.startsWith("/login"));
  await director.goto("/approvals");
  const row = director.getByRole("row", { name: new RegExp(member.name) });
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: member.name }).click();
  const drawer = director.getByRole("dialog");
  await expect(drawer.getByText("+2,000")).toBeVisible();
  await expect(drawer.getByText("业态负责人审批").first()).toBeVisible();
  await drawer.getByRole("button", { name: spaced("通过") }).click();
  await director.getByRole("dialog", { name: "通过这一步审批" }).getByRole("button", { name: spaced("通过") }).click();
  await expect(director.getByText("已通过，积分已入账")).toBeVisible();

  await expect.poll(() => balanceOf(staffApi, member)).toBe(2000);
  const { rows: entries } = await staffApi.get<{ points: number; kind: string; idempotency_key: string }>(
    `ledger_entries?member_id=eq.${member.id}&select=points,kind,idempotency_key`,
  );
  expect(entries).toEqual([{ points: 2000, kind: "earn", idempotency_key: expect.stringMatching(/^approval:/) }]);

  // The requester sees the request approved with its whole timeline.
  await page.reload();
  await expect(page.getByRole("dialog").getByText("已执行入账")).toBeVisible();
  await expect(page.getByRole("dialog").getByText("已通过", { exact: true })).toBeVisible();
});

test("under 1,000 points the manager's approval is final; a rejected request is resubmitted; staff withdraw their own", async ({ page, guard }) => {
  test.setTimeout(180_000);
  const staffApi = await apiAs("hotel.staff@demo.test");
  const member = await createMember(staffApi, "审批会员");

  await signIn(page, "hotel.staff@demo.test");
  await requestAdjustment(page, member, "300");
  await page.getByRole("dialog").getByRole("button", { name: "撤回申请" }).click();
  await expect(page.getByRole("dialog").getByText("已撤回")).toBeVisible();
  await page.getByRole("dialog").getByRole("button", { name: "修改后重新提交" }).click();
  await expect(page).toHaveURL(/\/approvals\/new\?from=/);
  await page.getByRole("button", { name: "提交申请" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "提交申请" }).click();
  await expect(page).toHaveURL(/\/approvals\?tab=mine&request=/);

  const manager = await guard.newPage();
  await signIn(manager, "manager@demo.test");
  await approveInQueue(manager, member);
  await expect(manager.getByText("已通过，积分已入账")).toBeVisible();
  await expect.poll(() => balanceOf(staffApi, member)).toBe(300);
});
