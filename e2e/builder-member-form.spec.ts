import { expect, test } from "./fixtures";
import { apiAs, asSuperuser, createMember, dragInto, signIn, type TestMember } from "./helpers";

// A field key of its own per run; the member form is put back as it was afterwards.
const RUN = Date.now().toString(36);
const FIELD = `parking_card_${RUN}`;
let before: number;
let oldMember: TestMember;

test.beforeAll(async () => {
  before = await asSuperuser(async (db) => (await db.query("select version from form_definitions where key = 'member' and status = 'published'")).rows[0].version);
  oldMember = await createMember(await apiAs("admin@demo.test"), "旧版会员");
});

test.afterAll(async () => {
  // Put the published member form back (published versions are immutable: bypass the triggers here only).
  await asSuperuser(async (db) => {
    await db.query("update members set form_version = $1, custom = custom - $2 where form_version > $1 or custom ? $2", [before, FIELD]);
    await db.query("delete from form_definitions where key = 'member' and version > $1", [before]);
    await db.query("update form_definitions set status = 'published' where key = 'member' and version = $1", [before]);
  }, { bypassTriggers: true });
});

test("a field added to the published member form shows on member pages; members made with the old version still open", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "admin@demo.test");
  await expect(page.getByRole("menu").getByRole("link", { name: "表单设计器" })).toBeVisible();
  await page.goto("/builder/forms/member");
  await expect(page.getByTestId("builder-version")).toHaveText(`v${before} · 已发布`);

  const canvas = page.getByTestId("builder-canvas");
  const count = await canvas.getByRole("listitem").count();
  await dragInto(page, page.getByRole("button", { name: "添加字段：单行文本", exact: true }), canvas);
  await expect(canvas.getByRole("listitem")).toHaveCount(count + 1);
  await expect(page.getByText("字段属性：单行文本1")).toBeVisible(); // the new field is selected
  await page.getByLabel("字段标识").fill(FIELD);
  await page.getByLabel("中文标签", { exact: true }).fill("停车卡号");
  await page.getByLabel("英文标签", { exact: true }).fill("Parking card no.");
  await page.getByLabel("最多字符数").fill("8");
  await expect(page.getByText(`有修改：保存将创建草稿 v${before + 1}`)).toBeVisible();
  await page.getByRole("button", { name: "发布" }).click();
  await page.locator(".ant-popconfirm").getByRole("button", { name: /^发\s?布$/ }).click();
  await expect(page.getByTestId("builder-version")).toHaveText(`v${before + 1} · 已发布`);

  // The database now checks the new field, naming it, whoever calls.
  const api = await apiAs("admin@demo.test");
  const tooLong = await api.raw(`members?id=eq.${oldMember.id}`, { method: "PATCH", body: { custom: { [FIELD]: "P1234567890" } } });
  expect(tooLong.status).toBe(400);
  expect(await tooLong.text()).toContain(`/${FIELD}: must have at most 8 characters`);

  // Registration renders the new version at once: the field is there, validated in the browser.
  await page.goto("/members");
  await page.getByRole("button", { name: "登记会员" }).click();
  await expect(page).toHaveURL(/\/members\/create$/);
  const phone = `1990${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  await page.getByRole("textbox", { name: "姓名" }).fill(`新版会员${RUN.slice(-4)}`);
  await page.getByRole("textbox", { name: "手机号" }).fill(phone);
  await page.getByRole("textbox", { name: "停车卡号" }).fill("P1234567890");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("最多 8 个字符")).toBeVisible();
  await expect(page).toHaveURL(/\/members\/create$/);
  await page.getByRole("textbox", { name: "停车卡号" }).fill("P2026001");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page).toHaveURL(/\/members\/show\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: new RegExp(`^新版会员${RUN.slice(-4)} · M\\d+$`) })).toBeVisible();
  await expect(page.getByText("停车卡号")).toBeVisible();
  await expect(page.getByText("P2026001")).toBeVisible();
  const [fresh] = (await api.get<{ form_version: number; tier_id: string; custom: Record<string, unknown> }>(`members?phone=eq.${phone}&select=form_version,tier_id,custom`)).rows;
  expect(fresh.form_version).toBe(before + 1);
  expect(fresh.custom).toEqual({ [FIELD]: "P2026001" });

  // The member made with the old version opens as it was made (no plate field), and editing brings it to the new one.
  const old = (await api.get<{ form_version: number }>(`members?id=eq.${oldMember.id}&select=form_version`)).rows[0];
  expect(old.form_version).toBe(before);
  await page.goto(`/members/show/${oldMember.id}`);
  await expect(page.getByRole("heading", { name: `${oldMember.name} · ${oldMember.member_no}` })).toBeVisible();
  await expect(page.getByText("会员资料")).toBeVisible();
  await expect(page.getByText("停车卡号")).toHaveCount(0);
  await page.getByRole("button", { name: "编辑" }).click();
  await expect(page).toHaveURL(new RegExp(`/members/edit/${oldMember.id}$`));
  await expect(page.getByRole("textbox", { name: "手机号" })).toHaveValue(oldMember.phone);
  await page.getByRole("textbox", { name: "停车卡号" }).fill("P2026002");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page).toHaveURL(new RegExp(`/members/show/${oldMember.id}$`));
  await expect(page.getByText("P2026002")).toBeVisible();
  const edited = (await api.get<{ form_version: number }>(`members?id=eq.${oldMember.id}&select=form_version`)).rows[0];
  expect(edited.form_version).toBe(before + 1);
});
