import fs from "node:fs";
import { expect, test, type Page } from "./fixtures";
import { apiAs, asSuperuser, createMember, signIn, unitId, type Api } from "./helpers";

const RUN = Date.now().toString(36);
const RULE_KEY = `e2e-pa-rule-${RUN}`;
const FLOW = "points-adjustment";
const FLOW_FILE = JSON.parse(fs.readFileSync(new URL("../workflows/approvals/points-adjustment.json", import.meta.url), "utf8")) as { steps: unknown[] };
const LEAVE = "有尚未保存的修改，确定离开吗？";
/** antd puts a space between two CJK characters of a button ("通 过", "发 布"). */
const spaced = (text: string) => new RegExp(`^${[...text].join("\\s?")}$`);

interface Request { id: string; status: string }
interface Task { id: string; step_key: string; status: string }

async function submit(api: Api, unit: string, memberId: string, points: number) {
  return api.post<Request>("rpc/submit_approval_request", {
    p_flow_key: FLOW, p_business_unit_id: unit, p_idempotency_key: `e2e-flows:${RUN}:${Math.random()}`,
    p_data: { member_id: memberId, points, reason_category: "customer_compensation", reason: "流程编辑测试补偿" },
  });
}
const tasksOf = async (api: Api, requestId: string) =>
  (await api.get<Task>(`approval_tasks?request_id=eq.${requestId}&select=id,step_key,status&order=step_index`)).rows;

/** Publishes the flow as its file says, so that the other tests find the seeded thresholds again. */
async function restoreFlow() {
  const admin = await apiAs("admin@demo.test");
  await admin.post("rpc/set_definition_publish_approval", { p_kind: "approval_flow", p_needs_approval: false, p_reason: "e2e 复原" }).catch(() => undefined);
  const { rows } = await admin.get<{ version: number; status: string; steps: unknown[] }>(`approval_flows?key=eq.${FLOW}&select=version,status,steps&order=version.desc`);
  const published = rows.find((r) => r.status === "published");
  if (published && JSON.stringify(published.steps) === JSON.stringify(FLOW_FILE.steps) && rows[0].status !== "draft") return;
  let version = rows[0].version;
  if (rows[0].status !== "draft") {
    version += 1;
    await admin.post("approval_flows", { key: FLOW, version, name: "积分调整审批", name_en: "Points adjustment approval", action: "points_adjustment", form_key: "points-compensation", steps: FLOW_FILE.steps, status: "draft" });
  } else {
    await admin.raw(`approval_flows?key=eq.${FLOW}&version=eq.${version}`, { method: "PATCH", body: { steps: FLOW_FILE.steps } });
  }
  await admin.post("rpc/publish_approval_flow", { p_key: FLOW, p_version: version });
}

test.afterAll(async () => {
  await restoreFlow();
  const admin = await apiAs("admin@demo.test");
  await admin.post("rpc/set_definition_publish_approval", { p_kind: "rule", p_needs_approval: false, p_reason: "e2e 复原" }).catch(() => undefined);
  await admin.post("rpc/archive_rule", { p_key: RULE_KEY }).catch(() => undefined);
  await asSuperuser((db) => db.query("delete from rules where key = $1", [RULE_KEY]), { bypassTriggers: true });
});

async function openFlowEditor(page: Page) {
  await page.getByRole("menu").getByRole("link", { name: /审批中心/ }).click();
  await page.getByRole("button", { name: "审批流程" }).click();
  await expect(page).toHaveURL(/\/approvals\/flows$/);
  await page.getByRole("button", { name: "积分调整审批" }).click();
  await expect(page).toHaveURL(new RegExp(`/approvals/flows/${FLOW}$`));
}

test("the admin lowers the director's threshold to 500 in the flow editor; new requests follow v2, older ones keep their version", async ({ page }) => {
  test.setTimeout(180_000);
  const staffApi = await apiAs("hotel.staff@demo.test");
  const managerApi = await apiAs("manager@demo.test");
  const hotel = await unitId(staffApi, "hotel");
  const member = await createMember(staffApi, "流程版本");
  const older = await submit(staffApi, hotel, member.id, 600);

  await signIn(page, "admin@demo.test");
  await openFlowEditor(page);
  const diagram = page.getByTestId("flow-diagram");
  await expect(diagram.getByTestId("flow-node-1")).toContainText("业态负责人审批");
  await expect(diagram.getByTestId("flow-node-2")).toContainText("市场总监审批");
  await expect(diagram).toContainText("当 调整积分（绝对值） > 1,000");

  await diagram.getByTestId("flow-node-2").click();
  // The condition opens in the visual editor: points (absolute) greater than 1,000; changed there to 800, the JSON follows.
  const conditionTabs = page.getByTestId("flow-condition");
  await expect(conditionTabs.getByRole("tab", { name: "可视化" })).toHaveAttribute("aria-selected", "true");
  const visualRule = conditionTabs.locator(".rule").first();
  await expect(visualRule.locator(".rule-fields")).toContainText("调整积分（绝对值）");
  await expect(visualRule.locator("input.rule-value, .rule-value input").first()).toHaveValue("1000");
  await visualRule.locator("input.rule-value, .rule-value input").first().fill("800");
  await expect(diagram).toContainText("当 调整积分（绝对值） > 800");
  await conditionTabs.getByRole("tab", { name: "JSON" }).click();
  const condition = page.getByLabel("适用条件（JSON-logic，可留空）");
  await expect.poll(async () => JSON.parse(await condition.inputValue()) as unknown).toEqual({ ">": [{ var: "points_abs" }, 800] });
  // Checked as it is typed: an operation outside the subset, then text that is not JSON.
  await condition.fill(JSON.stringify({ "+": [{ var: "points_abs" }, 500] }));
  await expect(page.getByTestId("flow-problem")).toContainText("第 2 步的适用条件有误");
  await expect(page.getByRole("button", { name: spaced("发布") })).toBeDisabled();
  await condition.fill("{\">\": [");
  await expect(page.getByTestId("flow-problem")).toContainText("第 2 步的适用条件不是有效的 JSON");
  await condition.fill(JSON.stringify({ ">": [{ var: "points_abs" }, 500] }));
  await expect(page.getByTestId("flow-problem")).toHaveCount(0);
  await expect(diagram).toContainText("当 调整积分（绝对值） > 500");
  await expect(page.getByText("有未保存的修改")).toBeVisible();

  // Leaving with unsaved changes asks first; staying keeps the edit.
  const asked = new Promise<void>((resolve) => {
    page.once("dialog", async (dialog) => {
      expect(dialog.message()).toBe(LEAVE);
      await dialog.dismiss();
      resolve();
    });
  });
  await page.getByRole("menu").getByRole("link", { name: "会员", exact: true }).click();
  await asked;
  await expect(page).toHaveURL(new RegExp(`/approvals/flows/${FLOW}$`));

  await page.getByRole("button", { name: spaced("发布") }).click();
  await page.getByRole("dialog").getByRole("button", { name: spaced("发布") }).click();
  await expect(page.getByText(/^已发布 v\d+$/)).toBeVisible();
  await expect(page.getByText("有未保存的修改")).toHaveCount(0);
  const { rows: flows } = await staffApi.get<{ version: number; steps: { condition: unknown }[] }>(`approval_flows?key=eq.${FLOW}&status=eq.published&select=version,steps`);
  expect(flows[0].steps[1].condition).toEqual({ ">": [{ var: "points_abs" }, 500] });
  const newVersion = flows[0].version;

  // A new 600-point request needs the director now; the older one finishes with the unit manager.
  const newer = await submit(staffApi, hotel, member.id, 600);
  for (const request of [older, newer]) {
    const [task] = (await tasksOf(managerApi, request.id)).filter((t) => t.status === "pending");
    await managerApi.post("rpc/decide_approval_task", { p_task_id: task.id, p_decision: "approve" });
  }
  expect((await tasksOf(managerApi, older.id)).map((t) => t.step_key)).toEqual(["unit_manager"]);
  expect((await tasksOf(managerApi, newer.id)).map((t) => `${t.step_key}:${t.status}`)).toEqual(["unit_manager:approved", "marketing_director:pending"]);

  // Each request shows the version it runs on.
  await page.goto(`/approvals?tab=all&request=${older.id}`);
  await expect(page.getByTestId("request-flow-version")).toHaveText(`积分调整审批 v${newVersion - 1}`);
  await page.goto(`/approvals?tab=all&request=${newer.id}`);
  await expect(page.getByTestId("request-flow-version")).toHaveText(`积分调整审批 v${newVersion}`);
});

test("with publish approval on, an admin's rule publish waits for the director, then the rule is published", async ({ page, guard }) => {
  test.setTimeout(180_000);
  const admin = await apiAs("admin@demo.test");
  await admin.post("rules", { key: RULE_KEY, version: 1, kind: "earning", name: `E2E 发布审批 ${RUN}`, priority: 100, logic: { "*": [0, 1] }, status: "draft" });

  await signIn(page, "admin@demo.test");
  await expect(page.getByRole("menu")).toBeVisible();
  await page.goto("/approvals/flows");
  await page.getByRole("switch", { name: "规则发布需审批" }).click();
  await page.getByRole("dialog").getByLabel("修改原因").fill("双人复核规则发布");
  await page.getByRole("dialog").getByRole("button", { name: spaced("确定") }).click();
  await expect(page.getByText("已开启发布审批")).toBeVisible();
  await expect(page.getByRole("switch", { name: "规则发布需审批" })).toBeChecked();

  await page.goto(`/rules/show/${RULE_KEY}`);
  await expect(page.getByRole("button", { name: spaced("发布") })).toHaveCount(0);
  await page.getByRole("button", { name: "提交发布审批" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "提交发布审批" }).click();
  await expect(page.getByTestId("publish-request")).toContainText("v1 正在等待发布审批");
  await expect(page.getByRole("button", { name: "提交发布审批", exact: true })).toBeDisabled();
  const status = async () => (await admin.get<{ status: string }>(`rules?key=eq.${RULE_KEY}&select=status`)).rows[0].status;
  expect(await status()).toBe("draft");

  // The requesting admin has nothing to decide; the director approves in the queue.
  await page.goto("/approvals");
  await expect(page.getByRole("row", { name: new RegExp(`E2E 发布审批 ${RUN}`) })).toHaveCount(0);
  const director = await guard.newPage();
  await signIn(director, "director@demo.test");
  await expect(director.getByRole("menu")).toBeVisible();
  await director.goto("/approvals");
  const row = director.getByRole("row", { name: new RegExp(`发布规则「E2E 发布审批 ${RUN}」v1`) });
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: new RegExp(`发布规则「E2E 发布审批 ${RUN}」v1`) }).click();
  const drawer = director.getByRole("dialog");
  await expect(drawer.getByText(`E2E 发布审批 ${RUN}`)).toBeVisible();
  await expect(drawer.getByTestId("request-flow-version")).toContainText("配置发布审批 v1");
  await drawer.getByRole("button", { name: spaced("通过") }).click();
  await director.getByRole("dialog", { name: "通过这一步审批" }).getByRole("button", { name: spaced("通过") }).click();
  await expect(director.getByText("已通过，配置已发布")).toBeVisible();
  await expect.poll(status).toBe("published");

  await page.goto(`/rules/show/${RULE_KEY}`);
  await expect(page.getByText("版本 v1（已发布，只读）")).toBeVisible();
  await expect(page.getByTestId("publish-request")).toHaveCount(0);
});
