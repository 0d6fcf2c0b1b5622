import { expect, test } from "./fixtures";
import { apiAs, asSuperuser, createMember, signIn, unitId } from "./helpers";
import { buildHotelDecemberRule, HOTEL_DECEMBER_LOGIC, saveTestCase } from "./rule-steps";

const RUN = Date.now().toString(36);
const KEY = `e2e-dec-hotel-${RUN}`;
const NAME = `酒店金卡12月双倍 ${RUN}`;
const spaced = (text: string) => new RegExp(`^${[...text].join("\\s?")}$`);

/** An earning rule's input: a gold member's purchase of `amount` yuan at a unit of `kind` on 2026-12-10. */
const sample = (kind: string, amount: number) => ({
  transaction: {
    amount, channel: "front_desk", occurred_at: "2026-12-10T04:00:00.000Z", order_no: "D-1", items: [],
    business_unit: { code: kind, kind },
  },
  member: { tier: "gold", tags: [], birthday: null, growth_value: 5000, joined_at: "2024-05-01T08:00:00.000Z", status: "active", home_business_unit: "mall" },
});

test.afterAll(async () => {
  // Archived through the product, so the engine stops using it and later tests earn as before.
  const admin = await apiAs("admin@demo.test");
  await admin.post("rpc/archive_rule", { p_key: KEY }).catch(() => undefined);
});

test("marketing staff build the December hotel double-points rule without JSON, test it, see the what-if and submit it; approved, a gold member's next hotel stay earns double", async ({ page, guard }) => {
  test.setTimeout(360_000);
  await signIn(page, "marketing@demo.test");
  await expect(page.getByRole("heading", { name: /^您好，.+/ })).toBeVisible();

  // Built in the visual editor only; the JSON view shows what it made.
  await buildHotelDecemberRule(page, KEY, NAME);
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByText("未保存")).toHaveCount(0);
  const marketing = await apiAs("marketing@demo.test");
  const { rows: drafts } = await marketing.get<{ logic: unknown }>(`rules?key=eq.${KEY}&select=logic`);
  expect(drafts).toEqual([{ logic: HOTEL_DECEMBER_LOGIC }]);

  // Two samples on the bench, saved as test cases: a 1,500-yuan hotel stay (3,000 points) and the same at the mall (none).
  await saveTestCase(page, "酒店金卡1500元", sample("hotel", 1500), "3000");
  await expect(page.getByTestId("bench-trace")).toContainText("命中第 1 个分支");
  await saveTestCase(page, "商场消费不适用", sample("mall", 1500), "0");
  await expect(page.getByTestId("bench-trace")).toContainText("命中“否则”分支");
  const cases = page.getByTestId("rule-test-cases");
  await cases.getByRole("button", { name: "运行测试用例" }).click();
  await expect(cases.getByTestId("rule-test-verdict")).toContainText("引擎验证通过：2 条用例全部通过", { timeout: 60_000 });

  // The what-if over the last 30 days, with the draft in place.
  const whatIf = page.getByTestId("what-if");
  await whatIf.getByRole("button", { name: "开始测算" }).click();
  await expect(whatIf.getByText("已完成")).toBeVisible({ timeout: 120_000 });
  await expect(whatIf).toContainText(`${KEY} v1（草稿）`);

  // Marketing cannot publish: the draft goes to approval.
  await expect(page.getByRole("button", { name: spaced("发布") })).toHaveCount(0);
  await page.getByRole("button", { name: "提交发布审批" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "提交发布审批" }).click();
  await expect(page.getByTestId("publish-request")).toContainText("v1 正在等待发布审批", { timeout: 60_000 });

  // The director approves it in the approval centre.
  const director = await guard.newPage();
  await signIn(director, "director@demo.test");
  await expect(director.getByRole("menu")).toBeVisible();
  await director.goto("/approvals");
  const request = new RegExp(`发布规则「${NAME}」v1`);
  await director.getByRole("row", { name: request }).getByRole("button", { name: request }).click();
  const drawer = director.getByRole("dialog");
  await drawer.getByRole("button", { name: spaced("通过") }).click();
  await director.getByRole("dialog", { name: "通过这一步审批" }).getByRole("button", { name: spaced("通过") }).click();
  await expect(director.getByText("已通过，配置已发布")).toBeVisible();
  await expect.poll(async () => (await marketing.get<{ status: string }>(`rules?key=eq.${KEY}&select=status`)).rows[0].status).toBe("published");

  // The next hotel stay of a gold member (today is in December 2026) earns double by the new rule.
  const hotelStaff = await apiAs("hotel.staff@demo.test");
  const member = await createMember(hotelStaff, "双倍积分会员");
  await asSuperuser((db) => db.query("update members set tier_id = (select id from tiers where code = 'gold') where id = $1", [member.id]));
  const { transaction_id: id } = await hotelStaff.post<{ transaction_id: string }>("rpc/record_transaction", {
    p_member_id: member.id, p_business_unit_id: await unitId(hotelStaff, "hotel"), p_order_no: `D-${RUN}`, p_amount: 1200,
  });
  type Earning = { outcome: string; rule_versions: { key: string; version: number; points: number }[] };
  const earning = async () => (await hotelStaff.get<Earning>(`transaction_earnings?transaction_id=eq.${id}&select=outcome,rule_versions`)).rows[0];
  await expect.poll(async () => (await earning())?.outcome, { timeout: 60_000 }).toBe("earned");
  expect((await earning()).rule_versions).toContainEqual(expect.objectContaining({ key: KEY, version: 1, points: 2400 }));
});
