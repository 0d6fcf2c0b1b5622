import { expect, test } from "./fixtures";
import { asSuperuser, signIn } from "./helpers";

/**
 * A rule the engine suspended and a transaction it parked are shown to an administrator on the home page
 * and in the rules centre, who resumes the rule and retries the transaction there.
 */
test("admin: resume a suspended rule from the home page, retry a parked transaction from the rules centre", async ({ page }) => {
  test.setTimeout(120_000);
  const tag = Date.now().toString(36);
  const key = `e2e-suspended-${tag}`;
  const order = `E2E-PARKED-${tag}`;
  const unit = await asSuperuser(async (db) => {
    const u = (await db.query("insert into business_units (code, name, kind) values ($1, $2, 'mall') returning id", [`e2e-${tag}`, `停用测试 ${tag}`])).rows[0].id;
    await db.query("insert into rule_sets (kind, business_unit_id, combination) values ('earning', $1, 'sum'), ('expiry', $1, 'first')", [u]);
    await db.query("insert into rules (key, version, kind, business_unit_id, name, logic) values ($1, 1, 'earning', $2, '反复出错的规则', '1')", [key, u]);
    const rule = (await db.query("select id from publish_rule($1, 1)", [key])).rows[0].id;
    for (let n = 1; n <= 3; n++) {
      await db.query("insert into rule_errors (rule_id, rule_key, rule_version, stage, message) values ($1, $2, 1, 'evaluate', $3)", [rule, key, `failure ${n}`]);
    }
    const member = (await db.query("select id from members where status = 'active' and merged_into is null limit 1")).rows[0].id;
    await db.query("begin");
    const txn = (await db.query("insert into transactions (business_unit_id, order_no, member_id, amount) values ($1, $2, $3, 9) returning id", [u, order, member])).rows[0].id;
    for (let n = 0; n < 5; n++) await db.query("select private.record_earn_failure($1, 'boom')", [txn]);
    await db.query("commit");
    return u as string;
  });
  try {
    await signIn(page, "admin@demo.test");
    const notice = page.getByTestId("engine-attention");
    const ruleItem = notice.getByRole("listitem").filter({ hasText: key });
    await expect(ruleItem).toContainText(`反复出错的规则（${key} v1）`);
    await ruleItem.getByRole("button", { name: /^恢\s?复$/ }).click();
    await expect(notice.getByRole("listitem").filter({ hasText: key })).toHaveCount(0);

    await page.getByRole("menu").getByRole("link", { name: "规则中心", exact: true }).click();
    await expect(page).toHaveURL(/\/rules$/);
    const parkedItem = page.getByTestId("engine-attention").getByRole("listitem").filter({ hasText: order });
    await expect(parkedItem).toContainText(`订单 ${order}（已尝试 5 次）`);
    await parkedItem.getByRole("button", { name: /^重\s?试$/ }).click();
    await expect(page.getByTestId("engine-attention").getByRole("listitem").filter({ hasText: order })).toHaveCount(0);
    await expect.poll(() => asSuperuser(async (db) => (await db.query(
      "select count(*)::int as n from transaction_earnings e join transactions t on t.id = e.transaction_id where t.order_no = $1", [order],
    )).rows[0].n), { timeout: 30_000 }).toBe(1);
  } finally {
    await asSuperuser((db) => db.query("update business_units set active = false where id = $1", [unit]));
  }
});
