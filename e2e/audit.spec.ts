import { expect, test } from "./fixtures";
import { apiAs, asSuperuser, createMember, signIn, unitId } from "./helpers";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The reason of the newest audit row of one record. */
const lastReason = (table: string, recordId: string) =>
  asSuperuser(async (db) => {
    const { rows } = await db.query("select reason from audit_log where table_name = $1 and record_id = $2 order by id desc limit 1", [table, recordId]);
    return rows[0]?.reason as string | null | undefined;
  });

test("edits through the UI leave their reason in the audit log, which names tables and records in Chinese", async ({ page }) => {
  test.setTimeout(180_000);
  const api = await apiAs("admin@demo.test");
  const member = await createMember(api, "审计原因");
  const office = await unitId(api, "office");
  const run = Date.now().toString(36);
  await signIn(page, "admin@demo.test");
  await expect(page.getByRole("menu")).toBeVisible();

  // A business unit: the edit page asks why.
  await page.goto(`/business-units/edit/${office}`);
  await page.getByLabel("英文名称").fill(`Galaxy Offices ${run}`);
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("请填写修改原因，将记入审计日志")).toBeVisible();
  await page.getByLabel("修改原因").fill(`E2E 更正英文名 ${run}`);
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page).toHaveURL(/\/business-units$/);
  expect(await lastReason("business_units", office)).toBe(`E2E 更正英文名 ${run}`);

  // A member: the edit page says where the change was made.
  await page.goto(`/members/edit/${member.id}`);
  await page.getByRole("textbox", { name: "姓名" }).fill(`${member.name}改`);
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page).toHaveURL(new RegExp(`/members/show/${member.id}$`));
  expect(await lastReason("members", member.id)).toBe("会员资料修改（会员编辑页）");

  // The audit log: table labels and record names, no UUIDs, no raw table names.
  await page.getByRole("menu").getByRole("link", { name: "审计日志", exact: true }).click();
  const rows = page.locator(".ant-table-tbody").getByRole("row");
  const memberRow = rows.filter({ hasText: `${member.name}改 · ${member.member_no}` }).first();
  await expect(memberRow).toContainText("会员");
  await expect(memberRow).toContainText("会员资料修改（会员编辑页）");
  await expect(memberRow).toContainText("系统管理员");
  await expect(rows.filter({ hasText: `E2E 更正英文名 ${run}` }).first()).toContainText("业态");
  for (const cell of await rows.locator("td").allInnerTexts()) {
    expect(cell).not.toMatch(UUID);
    expect(cell).not.toMatch(/^[a-z]+(_[a-z]+)*$/);
  }
  // Put the unit's English name back for the demo.
  await api.raw(`business_units?id=eq.${office}`, { method: "PATCH", body: { name_en: "Galaxy Office Tower" } });
});
