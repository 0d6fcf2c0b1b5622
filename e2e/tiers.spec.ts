import { expect, test } from "./fixtures";
import { asSuperuser, signIn } from "./helpers";

// the ladder's table (the paid memberships on sale follow in their own table)
const rows = (page: import("@playwright/test").Page) => page.locator(".ant-table-tbody").first().getByRole("row");

test("admins edit a tier by its entity form, with a reason; staff only read the ladder", async ({ page }) => {
  test.setTimeout(120_000);
  const run = Date.now().toString(36);
  const before = await asSuperuser(async (db) => (await db.query("select id, name_en from tiers where code = 'silver'")).rows[0] as { id: string; name_en: string });
  try {
    await signIn(page, "admin@demo.test");
    await page.getByRole("menu").getByRole("link", { name: "会员等级", exact: true }).click();
    await rows(page).filter({ hasText: "银卡" }).getByRole("button", { name: "edit" }).click();
    await expect(page).toHaveURL(new RegExp(`/tiers/edit/${before.id}$`));
    await expect(page.getByRole("textbox", { name: "编码" })).toBeDisabled(); // codes others refer to stay fixed
    await page.getByRole("textbox", { name: "英文名称" }).fill(`Silver ${run}`);
    await page.getByRole("button", { name: "保存" }).click();
    await expect(page.getByText("请填写修改原因，将记入审计日志")).toBeVisible();
    await page.getByLabel("修改原因").fill(`E2E 等级英文名 ${run}`);
    await page.getByRole("button", { name: "保存" }).click();
    await expect(page).toHaveURL(/\/tiers$/);
    await expect(rows(page).filter({ hasText: `Silver ${run}` })).toHaveCount(1);
    const reason = await asSuperuser(async (db) =>
      (await db.query("select reason from audit_log where table_name = 'tiers' and record_id = $1 order by id desc limit 1", [before.id])).rows[0]?.reason);
    expect(reason).toBe(`E2E 等级英文名 ${run}`);

    const staff = await page.context().browser()!.newContext();
    const staffPage = await staff.newPage();
    await signIn(staffPage, "staff@demo.test");
    await staffPage.getByRole("menu").getByRole("link", { name: "会员等级", exact: true }).click();
    await expect(rows(staffPage)).toHaveCount(4);
    await expect(staffPage.getByRole("button", { name: "edit" })).toHaveCount(0);
    await expect(staffPage.getByRole("button", { name: /新建/ })).toHaveCount(0);
    await staff.close();
  } finally {
    await asSuperuser((db) => db.query("update tiers set name_en = $2 where id = $1", [before.id, before.name_en]));
  }
});
