import { expect, test, type Page } from "./fixtures";
import { apiAs, clickUntil, createMember, signIn, unitId, type Api, type TestMember } from "./helpers";

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
  await clickUntil(page.getByRole("dialog").getByRole("button", { name: "提交申请" }),
    () => expect(page).toHaveURL(/\/approvals\?tab=mine&request=/, { timeout: 3_000 }));

  const manager = await guard.newPage();
  await signIn(manager, "manager@demo.test");
  await approveInQueue(manager, member);
  await expect(manager.getByText("已通过，积分已入账")).toBeVisible();
  await expect.poll(() => balanceOf(staffApi, member)).toBe(300);
});

test("a rejected request is changed and resubmitted through the UI, then approved", async ({ page, guard }) => {
  test.setTimeout(180_000);
  const staffApi = await apiAs("hotel.staff@demo.test");
  const member = await createMember(staffApi, "驳回重提");

  await signIn(page, "hotel.staff@demo.test");
  await requestAdjustment(page, member, "400");

  const manager = await guard.newPage();
  await signIn(manager, "manager@demo.test");
  await manager.getByRole("menu").getByRole("link", { name: /审批中心/ }).click();
  const row = manager.getByRole("row", { name: new RegExp(member.name) });
  await row.getByRole("button", { name: spaced("驳回") }).click();
  const dialog = manager.getByRole("dialog", { name: "驳回申请" });
  await expect(dialog.getByRole("button", { name: spaced("驳回") })).toBeDisabled();
  await dialog.getByLabel("审批意见").fill("请补充关联订单号");
  await dialog.getByRole("button", { name: spaced("驳回") }).click();
  await expect(manager.getByText("已驳回", { exact: true }).first()).toBeVisible();

  await page.reload();
  const drawer = page.getByRole("dialog");
  await expect(drawer.getByText("请补充关联订单号")).toBeVisible();
  await drawer.getByRole("button", { name: "修改后重新提交" }).click();
  await expect(page).toHaveURL(/\/approvals\/new\?from=/);
  await page.getByLabel("关联订单号").fill("H20261202-18");
  await page.getByRole("button", { name: "提交申请" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "提交申请" }).click();
  await expect(page).toHaveURL(/\/approvals\?tab=mine&request=/);
  await expect(page.getByRole("dialog").getByText("重新提交")).toBeVisible();

  await manager.reload();
  await approveInQueue(manager, member);
  await expect(manager.getByText("已通过，积分已入账")).toBeVisible();
  await expect.poll(() => balanceOf(staffApi, member)).toBe(400);
  const { rows } = await staffApi.get<{ status: string; data: { related_order_no?: string } }>(`approval_requests?member_id=eq.${member.id}&select=status,data&order=requested_at`);
  expect(rows.map((r) => [r.status, r.data.related_order_no ?? null])).toEqual([["rejected", null], ["approved", "H20261202-18"]]);
});

test("nobody approves their own request (no buttons, and the server refuses); an analyst sees no approval actions", async ({ page, guard }) => {
  const managerApi = await apiAs("manager@demo.test");
  const hotel = await unitId(managerApi, "hotel");
  const member = await createMember(managerApi, "自审会员");
  const request = await managerApi.post<{ id: string }>("rpc/submit_approval_request", {
    p_flow_key: "points-adjustment", p_business_unit_id: hotel, p_idempotency_key: `e2e-self:${Date.now()}`,
    p_data: { member_id: member.id, points: 200, reason_category: "customer_compensation", reason: "经理本人提交的补偿" },
  });

  await signIn(page, "manager@demo.test");
  await expect(page.getByRole("menu")).toBeVisible();
  await page.goto("/approvals");
  await expect(page.getByRole("tab", { name: /待我审批/ })).toBeVisible();
  await expect(page.locator(".ant-table-tbody tr.ant-table-row").first()).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(member.name) })).toHaveCount(0);
  await page.goto(`/approvals?tab=mine&request=${request.id}`);
  const drawer = page.getByRole("dialog");
  await expect(drawer.getByText(member.name)).toBeVisible();
  await expect(drawer.getByRole("button", { name: spaced("通过") })).toHaveCount(0);
  await expect(drawer.getByRole("button", { name: "撤回申请" })).toBeVisible();
  const { rows: [task] } = await managerApi.get<{ id: string }>(`approval_tasks?request_id=eq.${request.id}&status=eq.pending&select=id`);
  const refused = await managerApi.raw("rpc/decide_approval_task", { method: "POST", body: { p_task_id: task.id, p_decision: "approve" } });
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as { hint: string }).hint).toBe("approval_self");

  const analyst = await apiAs("analyst@demo.test");
  const denied = await analyst.raw("rpc/decide_approval_task", { method: "POST", body: { p_task_id: task.id, p_decision: "approve" } });
  expect(((await denied.json()) as { hint: string }).hint).toBe("approval_not_approver");
  const analystPage = await guard.newPage();
  await signIn(analystPage, "analyst@demo.test");
  await expect(analystPage.getByRole("menu").getByRole("link", { name: "会员", exact: true })).toBeVisible();
  await expect(analystPage.getByRole("menu").getByRole("link", { name: /审批中心/ })).toHaveCount(0);
  await analystPage.goto(`/approvals?tab=all&request=${request.id}`);
  await expect(analystPage.getByText("您没有访问此页面的权限")).toBeVisible();
  await expect(analystPage.getByRole("button", { name: spaced("通过") })).toHaveCount(0);
});

test("the queue on a 390x844 screen, filtered by points and by member, kept in the address", async ({ page }) => {
  const staffApi = await apiAs("hotel.staff@demo.test");
  const hotel = await unitId(staffApi, "hotel");
  const [small, large] = [await createMember(staffApi, "小额筛选"), await createMember(staffApi, "大额筛选")];
  for (const [member, points] of [[small, 150], [large, 850]] as const) {
    await staffApi.post("rpc/submit_approval_request", {
      p_flow_key: "points-adjustment", p_business_unit_id: hotel, p_idempotency_key: `e2e-filter:${member.id}`,
      p_data: { member_id: member.id, points, reason_category: "customer_compensation", reason: "筛选测试补偿" },
    });
  }

  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, "manager@demo.test");
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  await page.goto("/approvals");
  await expect(page.getByRole("row", { name: new RegExp(small.name) })).toBeVisible();
  await page.getByText("筛选", { exact: true }).click();
  await page.getByLabel("积分下限").fill("800");
  await page.getByLabel("积分下限").blur();
  await expect(page).toHaveURL(/pmin=800/);
  await expect(page.getByRole("row", { name: new RegExp(large.name) })).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(small.name) })).toHaveCount(0);
  // No horizontal scrolling of the page itself on a phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await page.reload();
  await expect(page.getByLabel("积分下限")).toHaveValue("800");
  await expect(page.getByRole("row", { name: new RegExp(large.name) })).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(small.name) })).toHaveCount(0);
  await page.getByRole("button", { name: "清除筛选" }).click();
  await expect(page).not.toHaveURL(/pmin=/);
  await expect(page.getByRole("row", { name: new RegExp(small.name) })).toBeVisible();

  // The member filter (the folded filter bar opened again): searched by phone, the choice kept in the address, only
  // that member's request left.
  await page.getByText("筛选", { exact: true }).click();
  await page.getByRole("combobox", { name: "会员（姓名、手机号或会员号）" }).fill(large.phone);
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: large.member_no }).click();
  await expect(page).toHaveURL(new RegExp(`member=${large.id}`));
  await expect(page.getByRole("row", { name: new RegExp(large.name) })).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(small.name) })).toHaveCount(0);
});
