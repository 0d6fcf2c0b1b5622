import { expect, test } from "./fixtures";
import { apiAs, asSuperuser, createMember, signIn, unitId, type Api } from "./helpers";

// The rule only matches order numbers carrying this run's marker, so no other test's points change.
const RUN = Date.now().toString(36);
const KEY = `e2e-bonus-${RUN}`;
const MARKER = `E2E${RUN.toUpperCase()}`;
const PUBLISH = /^发\s?布$/;

interface Earning {
  points: number;
  outcome: string;
  lots: { kind: string; points: number }[];
}

/** Records a purchase through the RPC staff tools use; waits for the engine's earning of it. */
async function purchase(api: Api, memberId: string, unit: string, orderNo: string): Promise<Earning> {
  const recorded = await api.post<{ transaction_id: string }>("rpc/record_transaction", {
    p_member_id: memberId,
    p_business_unit_id: unit,
    p_order_no: orderNo,
    p_amount: 120,
  });
  for (let i = 0; i < 150; i++) {
    const { rows } = await api.get<Earning>(`transaction_earnings?transaction_id=eq.${recorded.transaction_id}&select=points,outcome,lots`);
    if (rows[0]) return rows[0];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`transaction ${orderNo} was not earned within 30 s`);
}

test.afterAll(async () => {
  // Archive through the product (the engine reloads its rules), then remove the rows.
  const api = await apiAs("admin@demo.test");
  await api.post("rpc/archive_rule", { p_key: KEY }).catch(() => undefined);
  await asSuperuser(async (db) => {
    await db.query("delete from rule_errors where rule_id in (select id from rules where key = $1)", [KEY]);
    await db.query("delete from rules where key = $1", [KEY]);
  }, { bypassTriggers: true });
});

test("admin creates and publishes an earning rule in the rules center; the next purchase earns by it, with no restart", async ({ page, guard }) => {
  test.setTimeout(180_000);
  // the browser logs the 409 of the duplicate key this test provokes on purpose at the end
  guard.allow(/status of 409 \(Conflict\) .*\/rest\/v1\/rules/);
  const api = await apiAs("admin@demo.test");
  const mall = await unitId(api, "mall");
  const member = await createMember(api, "规则发布");
  const before = await purchase(api, member.id, mall, `${MARKER}-1`);
  expect(before.outcome).toBe("earned");

  await signIn(page, "admin@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "规则中心", exact: true }).click();
  await page.getByRole("button", { name: "新建规则" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("标识").fill("Bad Key");
  await dialog.getByRole("button", { name: "创建草稿" }).click();
  await expect(dialog.getByText("小写字母开头", { exact: false }).last()).toBeVisible();
  await dialog.getByLabel("标识").fill(KEY);
  await dialog.getByLabel("名称").fill("E2E 订单奖励");
  await dialog.locator(".ant-form-item", { hasText: "积分批次类型" }).locator(".ant-select").click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "活动" }).click();
  await dialog.getByRole("button", { name: "创建草稿" }).click();
  await expect(page).toHaveURL(new RegExp(`/rules/show/${KEY}$`));
  await expect(page.getByText("草稿 v1", { exact: true })).toBeVisible();

  // 88 bonus points on this run's orders, into a campaign lot.
  await page.getByRole("tab", { name: "JSON", exact: true }).click();
  const logic = page.getByLabel("规则逻辑（JSON-logic）");
  await logic.fill(JSON.stringify({ if: [{ in: [MARKER, { var: "transaction.order_no" }] }, 88, 0] }));
  await expect(page.getByTestId("logic-check")).toContainText("规则有效");
  await page.getByRole("button", { name: PUBLISH }).click();
  await page.getByRole("dialog").getByRole("button", { name: PUBLISH }).click();
  await expect(page.getByText("已发布 v1").first()).toBeVisible();
  const { rows } = await api.get<{ status: string }>(`rules?key=eq.${KEY}&select=status`);
  expect(rows).toEqual([{ status: "published" }]);

  // The next purchase, same amount: 88 more points, in a campaign lot of their own.
  const after = await purchase(api, member.id, mall, `${MARKER}-2`);
  expect(after.points).toBe(before.points + 88);
  expect(after.lots).toContainEqual(expect.objectContaining({ kind: "campaign", points: 88 }));

  // A second key of the same name is refused with a clear message.
  await page.goto("/rules");
  await page.getByRole("button", { name: "新建规则" }).click();
  await page.getByRole("dialog").getByLabel("标识").fill(KEY);
  await page.getByRole("dialog").getByLabel("名称").fill("重复");
  await page.getByRole("dialog").getByRole("button", { name: "创建草稿" }).click();
  await expect(page.getByRole("dialog")).toContainText(`规则标识 ${KEY} 已存在`);
});

test("admin runs the expiry job on demand and sees its outcome", async ({ page }) => {
  await signIn(page, "admin@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "规则中心", exact: true }).click();
  const clicked = Date.now();
  await page.getByRole("button", { name: "立即执行积分过期" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "立即执行积分过期" }).click();
  await expect(page.getByText(/已提交，任务 #\d+ 排队中/)).toBeVisible();
  const api = await apiAs("admin@demo.test");
  await expect
    .poll(async () => {
      const { rows } = await api.get<{ finished_at: string; ok: boolean }>("engine_runs?job=eq.expire_lots&select=finished_at,ok&order=finished_at.desc&limit=1");
      return rows[0] && Date.parse(rows[0].finished_at) >= clicked - 1000 ? rows[0].ok : undefined;
    }, { timeout: 60_000 })
    .toBe(true);
  await expect(page.getByTestId("expiry-latest")).toContainText("成功", { timeout: 30_000 });
  // what the run did, as the engine logged it
  const { rows } = await api.get<{ result: { expired: number; points: number } }>("engine_runs?job=eq.expire_lots&select=result&order=finished_at.desc&limit=1");
  const { expired, points } = rows[0].result;
  await expect(page.getByTestId("expiry-latest")).toContainText(
    expired === 0 ? "没有到期的积分" : `过期 ${expired.toLocaleString("zh-CN")} 个积分批次，共 ${points.toLocaleString("zh-CN")} 积分`);
});

test("admin publishes the first rule of a business unit: told that it creates the unit's own rule set, which it does", async ({ page }) => {
  test.setTimeout(120_000);
  const unitCode = `e2e-unit-${RUN}`;
  const unitName = `E2E 独立业态 ${RUN}`;
  const unitKey = `e2e-unit-rule-${RUN}`;
  const scratchKey = `e2e-scratch-${RUN}`;
  const unit = await asSuperuser(async (db) =>
    (await db.query("insert into business_units (code, name, kind) values ($1, $2, 'other') returning id", [unitCode, unitName])).rows[0].id as string);
  try {
    await signIn(page, "admin@demo.test");
    await page.getByRole("menu").getByRole("link", { name: "规则中心", exact: true }).click();
    await page.getByRole("button", { name: "新建规则" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("标识").fill(unitKey);
    await dialog.getByLabel("名称").fill("E2E 业态专属规则");
    await dialog.getByLabel("适用范围").fill(unitName);
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: unitName }).click();
    const notice = `${unitName}还没有自己的「积分获取」规则集。发布这条规则时将自动创建，组合策略沿用集团的「累加」`;
    await expect(dialog.getByTestId("unit-rule-set")).toContainText(notice);
    await dialog.getByRole("button", { name: "创建草稿" }).click();
    await expect(page).toHaveURL(new RegExp(`/rules/show/${unitKey}$`));
    await expect(page.getByTestId("unit-rule-set")).toContainText(notice);

    await page.getByRole("tab", { name: "JSON", exact: true }).click();
    await page.getByLabel("规则逻辑（JSON-logic）").fill("7");
    await expect(page.getByTestId("logic-check")).toContainText("规则有效");
    await page.getByRole("button", { name: PUBLISH }).click();
    await expect(page.getByTestId("publish-unit-set")).toContainText(notice);
    await page.getByRole("dialog").getByRole("button", { name: PUBLISH }).click();
    await expect(page.getByText("已发布 v1").first()).toBeVisible();
    await expect(page.getByTestId("unit-rule-set")).toContainText(`${unitName}已有自己的「积分获取」规则集（组合策略：累加）`);
    const api = await apiAs("admin@demo.test");
    const { rows: sets } = await api.get<{ combination: string }>(`rule_sets?kind=eq.earning&business_unit_id=eq.${unit}&select=combination`);
    expect(sets).toEqual([{ combination: "sum" }]);

    // Deleting the only version of a new key returns to the list of its kind, not to an empty page.
    await page.goto("/rules");
    await page.getByRole("button", { name: "新建规则" }).click();
    await page.getByRole("dialog").getByLabel("标识").fill(scratchKey);
    await page.getByRole("dialog").getByLabel("名称").fill("E2E 草稿");
    await page.getByRole("dialog").getByRole("button", { name: "创建草稿" }).click();
    await expect(page).toHaveURL(new RegExp(`/rules/show/${scratchKey}$`));
    await page.getByRole("button", { name: "删除草稿" }).click();
    await page.getByRole("tooltip").getByRole("button", { name: "删除草稿" }).click();
    await expect(page).toHaveURL(/\/rules\?kind=earning$/);
    await expect(page.getByText("草稿 v1 已删除")).toBeVisible();
    await expect(page.getByText("404")).toHaveCount(0);
  } finally {
    const api = await apiAs("admin@demo.test");
    await api.post("rpc/archive_rule", { p_key: unitKey }).catch(() => undefined);
    await asSuperuser(async (db) => {
      await db.query("delete from rules where key = any($1)", [[unitKey, scratchKey]]);
      await db.query("delete from rule_sets where business_unit_id = $1", [unit]);
      await db.query("update business_units set active = false where id = $1", [unit]);
    }, { bypassTriggers: true });
  }
});
