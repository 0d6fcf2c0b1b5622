/**
 * Notifications that reach members: a 7-day expiry reminder arrives in the local mail catcher (its API, opened
 * in the browser), and a template is edited with its live preview and saved as a new version.
 */
import { mailInboxUrl } from "../stack/config.ts";
import { expect, test } from "./fixtures";
import { apiAs, asSuperuser, createMember, signIn } from "./helpers";

/** antd puts a space between two CJK characters of a button ("保 存"). */
const SAVE = /^保\s?存$/;
const DAY = 86_400_000;
const HOUR = 3_600_000;

test("a 7-day expiry reminder reaches the local inbox", async ({ page, guard }) => {
  // The mail catcher's API answers JSON; the browser also asks it for a favicon it does not have.
  guard.allow(/127\.0\.0\.1:\d+\/favicon\.ico/);
  const email = `e2e-${Date.now().toString(36)}@example.test`;
  await asSuperuser(async (db) => {
    const phone = `1991${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
    const { rows } = await db.query(
      `insert into members (name, phone, email, tier_id) values ('提醒测试', $1, $2, (select id from tiers where code = 'standard')) returning id`,
      [phone, email]);
    const member = rows[0].id as string;
    await db.query(
      "select earn_points($1, (select id from business_units where code = 'mall'), 321, $2, 'shopping', $3)",
      [member, `e2e-remind-${email}`, new Date(Date.now() + 7 * DAY - HOUR)]);
    await db.query("select graphile_worker.add_job('send_reminders', $1::json, job_key => $2)", [JSON.stringify({ member_ids: [member] }), `e2e:${email}`]);
  });
  const inbox = `${mailInboxUrl()}/api/email`;
  await expect(async () => {
    await page.goto(inbox);
    await expect(page.locator("body")).toContainText("您有321积分将在7天后到期");
  }).toPass({ timeout: 60_000, intervals: [500, 1000] });
  const mails = JSON.parse(await page.locator("body").innerText()) as { subject: string; text: string; to: { address: string }[] }[];
  const mine = mails.filter((m) => m.to.some((t) => t.address === email));
  expect(mine).toHaveLength(1);
  expect(mine[0].text).toContain("321积分");
});

test("edit a template with its live preview and save a new version", async ({ page }) => {
  await signIn(page, "marketing@demo.test");
  await page.getByRole("menuitem", { name: "通知模板" }).click();
  await expect(page.getByRole("heading", { name: "通知模板" })).toBeVisible();
  await page.getByRole("button", { name: "编辑积分到期提醒·短信·中文" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("编辑模板：积分到期提醒 · 短信 · 中文");
  const body = dialog.getByRole("textbox");
  await body.fill("【星河】{{member_name}}，您的{{points}}积分将于{{expires_on}}到期，");
  const preview = dialog.getByTestId("template-preview");
  await expect(preview).toContainText("张小星，您的1280积分将于2026-12-31到期，");
  await dialog.getByText("剩余天数").click(); // inserts the variable
  await expect(preview).toContainText("到期，7");
  // An unknown variable is flagged while typing (the database refuses it too: tests/engine/notifications.test.ts).
  await body.fill("{{balance}}积分");
  await expect(dialog).toContainText("该事件没有变量「balance」");
  await body.fill("【星河】{{member_name}}，您的{{points}}积分将于{{expires_on}}到期，还剩{{days_left}}天。");
  await dialog.getByRole("button", { name: "保存为新版本" }).click();
  await expect(page.getByText(/已保存第 \d+ 版/)).toBeVisible();
  await expect(dialog).toBeHidden();
  const row = page.getByRole("row").filter({ has: page.getByRole("button", { name: "编辑积分到期提醒·短信·中文" }) });
  await expect(row).toContainText("{会员姓名}，您的{积分}积分将于{到期日期}到期，还剩{剩余天数}天。");
  await expect(row).toContainText(/第 \d+ 版/);
  const saved = await asSuperuser(async (db) => (await db.query(
    "select body, source from notification_templates where event = 'points_expiring' and channel = 'sms' and language = 'zh-CN' order by version desc limit 1")).rows[0]);
  expect(saved).toEqual({ body: "【星河】{{member_name}}，您的{{points}}积分将于{{expires_on}}到期，还剩{{days_left}}天。", source: "ui" });
});

test("an administrator subscribes a webhook, sees its secret once, and its delivery log", async ({ page }) => {
  await signIn(page, "admin@demo.test");
  await page.getByRole("menuitem", { name: "事件回调" }).click();
  await expect(page.getByRole("heading", { name: "事件回调" })).toBeVisible();
  await page.getByRole("button", { name: "新建订阅" }).click();
  const dialog = page.getByRole("dialog", { name: "新建订阅" });
  const name = `对账系统${Date.now().toString(36).slice(-4)}`;
  await dialog.getByLabel("名称").fill(name);
  await dialog.getByLabel("回调地址").fill("ftp://example.test/hook");
  await dialog.getByRole("checkbox", { name: "积分获得" }).check();
  await dialog.getByRole("button", { name: SAVE }).click();
  await expect(dialog).toContainText("回调地址需以 http:// 或 https:// 开头");
  await dialog.getByLabel("回调地址").fill("http://127.0.0.1:9/hook");
  await dialog.getByRole("button", { name: SAVE }).click();
  const secret = page.getByTestId("webhook-secret");
  await expect(secret).toHaveText(/^[0-9a-f]{64}$/);
  await page.getByRole("button", { name: "我已保存" }).click();
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("积分获得");
  await row.getByRole("button", { name: /展开|Expand/ }).click();
  await expect(page.getByText("暂无投递记录")).toBeVisible();
  // Off again, so the rest of the run's points do not queue deliveries to a closed port.
  await row.getByRole("switch").click();
  await expect(row.getByRole("switch")).not.toBeChecked();
});

test("staff set a member's message language and opt-outs on the member page", async ({ page }) => {
  const member = await createMember(await apiAs("staff@demo.test"), "消息设置");
  await signIn(page, "staff@demo.test");
  await expect(page.getByRole("menu")).toBeVisible();
  await page.goto(`/members/show/${member.id}`);
  await page.getByRole("tab", { name: "消息设置" }).click();
  const tab = page.getByRole("tabpanel", { name: "消息设置" });
  await expect(tab.getByRole("combobox", { name: "消息语言" })).toBeEnabled();
  // The chosen value's label lies over the select's input: click the select itself.
  await tab.locator(".ant-select-selector").click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: "英文" }).click();
  await expect(tab.getByTitle("英文")).toBeVisible();
  await tab.getByRole("checkbox", { name: "短信" }).check();
  await tab.getByRole("button", { name: SAVE }).click();
  await expect(page.getByText("消息设置已保存")).toBeVisible();
  const saved = await asSuperuser(async (db) =>
    (await db.query("select language, opted_out from member_notification_settings where member_id = $1", [member.id])).rows[0]);
  expect(saved).toEqual({ language: "en", opted_out: ["sms"] });
});
