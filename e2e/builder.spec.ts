import fs from "node:fs";
import { expect, test } from "./fixtures";
import { asSuperuser, dragInto, signIn } from "./helpers";

// One entity key per run: published versions are never edited, so runs never collide.
const KEY = `e2e_${Date.now().toString(36)}`;
const TITLE = `E2E停车场${KEY.slice(-4)}`;

test.afterAll(async () => {
  // Clean up idempotently: the entity's records and versions (its menu entry goes with them); published
  // versions are never deleted by the product, so the triggers are skipped here.
  await asSuperuser(async (db) => {
    await db.query("delete from entity_records where entity_key = $1", [KEY]);
    await db.query("delete from entity_definitions where key = $1", [KEY]);
  }, { bypassTriggers: true });
});

test("an admin builds an entity by drag and drop, publishes it, and staff-facing pages appear at once", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "admin@demo.test");
  await page.getByRole("menu").getByRole("link", { name: "表单设计器" }).click();
  await page.getByRole("button", { name: "新建实体" }).click();
  await page.getByLabel("实体标识").fill(KEY);
  await page.getByLabel("中文名称").fill(TITLE);
  await page.getByLabel("英文名称").fill("E2E parking lots");
  await page.getByRole("button", { name: "创 建" }).click();
  await expect(page).toHaveURL(new RegExp(`/builder/entities/${KEY}$`));

  // Six fields dragged from the palette, each given a key, labels and rules.
  const canvas = page.getByTestId("builder-canvas");
  const fields: { type: string; key: string; title: string; extra?: () => Promise<void> }[] = [
    {
      type: "单行文本", key: "name", title: "名称",
      extra: async () => {
        await page.getByLabel("必填").click();
        await page.getByLabel("最多字符数").fill("20");
      },
    },
    { type: "数字", key: "spots", title: "车位数", extra: () => page.getByLabel("最小值").fill("0") },
    { type: "金额（元）", key: "fee", title: "小时费率" },
    {
      type: "单选", key: "kind", title: "类型",
      extra: async () => {
        await page.getByLabel("必填").click();
        await page.getByLabel("选项 1 的值").fill("indoor");
        await page.getByLabel("选项 1 的中文标签").fill("室内");
        await page.getByLabel("选项 2 的值").fill("outdoor");
        await page.getByLabel("选项 2 的中文标签").fill("室外");
      },
    },
    { type: "日期", key: "opened", title: "开业日期" },
    {
      type: "勾选", key: "covered", title: "有雨棚",
      extra: async () => {
        // A canopy only matters outdoors: shown when 类型 is 室外.
        await page.getByLabel("显示条件").click();
        await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "类型" }).click();
        await page.getByLabel("当其值为").first().click(); // the select itself, not its inner search input
        await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "室外" }).click();
      },
    },
  ];
  for (const [index, field] of fields.entries()) {
    await dragInto(page, page.getByRole("button", { name: `添加字段：${field.type}`, exact: true }), canvas);
    await expect(canvas.getByRole("listitem")).toHaveCount(index + 1);
    await expect(page.getByText(`字段属性：${field.type}1`)).toBeVisible(); // the new field is selected
    await page.getByLabel("字段标识").fill(field.key);
    await page.getByLabel("中文标签", { exact: true }).fill(field.title);
    await page.getByLabel("英文标签", { exact: true }).fill(field.key);
    if (field.key !== "covered") {
      await field.extra?.();
      await expect(page.getByTestId("builder-preview").getByText(field.title, { exact: true })).toBeVisible();
    } else {
      await expect(page.getByTestId("builder-preview").getByText(field.title, { exact: true })).toBeVisible();
      await field.extra?.();
      await expect(page.getByTestId("builder-preview").getByText(field.title, { exact: true })).toHaveCount(0);
    }
  }
  await expect(canvas.getByRole("listitem")).toHaveText(fields.map((f) => new RegExp(f.title)));

  // Undo and redo: the condition goes and comes back (the preview shows the field, then hides it again).
  const preview = page.getByTestId("builder-preview");
  await page.getByRole("button", { name: "撤销" }).click();
  await page.getByRole("button", { name: "撤销" }).click();
  await expect(preview.getByText("有雨棚", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "重做" }).click();
  await page.getByRole("button", { name: "重做" }).click();
  await expect(preview.getByText("有雨棚", { exact: true })).toHaveCount(0);
  await expect(page.getByLabel("英文标签", { exact: true })).toHaveValue("covered");

  // The live preview validates as staff will see it, and shows conditional fields when their condition holds.
  await preview.getByLabel("名称").fill("这个名称超过了二十个字符的限制所以不能保存的");
  await expect(preview.getByText("最多 20 个字符")).toBeVisible();
  await preview.getByLabel("类型").click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "室外" }).click();
  await expect(preview.getByText("有雨棚", { exact: true })).toBeVisible();

  // List settings: search by name, filter by kind, sort by spots.
  await page.getByRole("tab", { name: "列表与权限" }).click();
  for (const [label, option] of [["搜索字段", "名称"], ["筛选字段", "类型"]]) {
    await page.getByLabel(label).click();
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: option }).first().click();
    await page.keyboard.press("Escape");
    await expect(page.locator(".ant-select-dropdown:visible")).toHaveCount(0); // closed before the next one opens
  }

  await page.getByRole("button", { name: "发布" }).click();
  await page.locator(".ant-popconfirm").getByRole("button", { name: /^发\s?布$/ }).click();
  await expect(page.getByTestId("builder-version")).toHaveText("v1 · 已发布");

  // The menu gains the entity without a reload of the code.
  const menu = page.getByRole("menu");
  await menu.getByText("业务实体").click();
  await menu.getByRole("link", { name: TITLE }).click();
  await expect(page).toHaveURL(new RegExp(`/e/${KEY}$`));

  // Invalid input shows inline errors and saves nothing.
  await page.getByRole("button", { name: "新建" }).click();
  await expect(page).toHaveURL(new RegExp(`/e/${KEY}/create$`));
  await page.getByRole("textbox", { name: "名称" }).fill("这个名称超过了二十个字符的限制所以不能保存的");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("最多 20 个字符")).toBeVisible();
  await expect(page.getByText("必填")).toBeVisible(); // 类型
  await page.getByRole("textbox", { name: "名称" }).fill("");
  await expect(page).toHaveURL(new RegExp(`/e/${KEY}/create$`));

  // Three records through the generated form.
  const lots = [
    { name: "东区停车场", spots: "120", fee: "8.5", kind: "室外", covered: true },
    { name: "西区停车场", spots: "40", fee: "6", kind: "室内", covered: false },
    { name: "北区停车场", spots: "300", fee: "10", kind: "室外", covered: false },
  ];
  for (const [index, lot] of lots.entries()) {
    if (index > 0) await page.getByRole("button", { name: "新建" }).click();
    await expect(page).toHaveURL(new RegExp(`/e/${KEY}/create$`));
    await page.getByRole("textbox", { name: "名称" }).fill(lot.name);
    await page.getByLabel("车位数").fill(lot.spots);
    await page.getByLabel("小时费率").fill(lot.fee);
    await page.getByLabel("类型").click();
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: lot.kind }).click();
    await page.getByLabel("开业日期").click();
    await page.getByLabel("开业日期").fill(`2026-0${index + 1}-15`);
    await page.locator(`.ant-picker-dropdown:visible td[title="2026-0${index + 1}-15"]`).click();
    await expect(page.getByLabel("有雨棚")).toHaveCount(lot.kind === "室外" ? 1 : 0); // shown outdoors only
    if (lot.covered) await page.getByLabel("有雨棚").check();
    await page.getByRole("button", { name: "保存" }).click();
    await expect(page).toHaveURL(new RegExp(`/e/${KEY}$`));
    if (index === 0) await expect(page.getByText(`已成功新建${TITLE}`)).toBeVisible(); // the entity by its name, not its resource key
  }

  const rows = page.locator(".ant-table-tbody tr.ant-table-row");
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText("北区停车场"); // newest first (default sort)
  await expect(page.getByRole("cell", { name: "¥8.50" })).toBeVisible();

  // Filter by kind, then sort by spots.
  await page.getByRole("combobox", { name: "类型" }).click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "室外" }).click();
  await page.getByRole("button", { name: "筛 选" }).click();
  await expect(rows).toHaveCount(2);
  await page.getByRole("button", { name: "重 置" }).click();
  await expect(rows).toHaveCount(3);
  await page.getByRole("columnheader", { name: "车位数" }).click();
  await expect(rows.nth(0)).toContainText("西区停车场");
  await expect(rows.nth(2)).toContainText("北区停车场");
  await page.getByPlaceholder("搜索").fill("东区");
  await page.getByPlaceholder("搜索").press("Enter");
  await expect(rows).toHaveCount(1);
  await page.getByPlaceholder("搜索").fill("");
  await page.getByPlaceholder("搜索").press("Enter");
  await expect(rows).toHaveCount(3);

  // Edit one through its detail page.
  await page.getByRole("link", { name: "西区停车场" }).click();
  await expect(page.getByText("室内")).toBeVisible();
  await page.getByRole("button", { name: "编辑" }).click();
  await expect(page.getByRole("textbox", { name: "名称" })).toHaveValue("西区停车场");
  await page.getByLabel("车位数").fill("45");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page).toHaveURL(new RegExp(`/e/${KEY}$`));
  await expect(page.getByText(`已成功保存${TITLE}`)).toBeVisible();
  await expect(rows.filter({ hasText: "西区停车场" })).toContainText("45");

  // Export what the list selects: CSV and XLSX downloads.
  const csvDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "导出 CSV" }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toMatch(new RegExp(`^${KEY}-\\d{8}-\\d{6}\\.csv$`));
  const csvText = fs.readFileSync((await csv.path())!, "utf8");
  expect(csvText).toContain("名称,车位数,小时费率,类型,开业日期,有雨棚");
  for (const lot of ["东区停车场", "西区停车场", "北区停车场"]) expect(csvText).toContain(lot);
  expect(csvText).toContain("¥8.50");
  const xlsxDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "导出 Excel" }).click();
  const xlsx = await xlsxDownload;
  expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
  expect(fs.readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe("PK");
});
