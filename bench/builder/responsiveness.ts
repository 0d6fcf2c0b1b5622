/**
 * Form builder responsiveness with 50 fields, in a real browser (Chromium, as the e2e tests).
 *
 *   npx tsx bench/builder/responsiveness.ts        (needs the running stack's API: npm start)
 *   BENCH_DEV=1 …   measure the running dev server (APP_URL, default :54323) instead of a build
 *   DRAGS=10 EDITS=10 …
 *
 * By default the app is built for production into a temporary folder and served by `vite preview`
 * (what users get; React's development build is several times slower), against the local API.
 * Loads a 50-field entity into a new (never saved) builder through its JSON import, then measures,
 * with timestamps taken inside the page (performance.now):
 * - pointer move during a drag: event → the next painted frame (rAF + task), over every step;
 * - drop: pointerup → the new field is in the canvas and a frame has painted ("ms per drag");
 * - reorder: pointerup → the moved field is in its new place and painted;
 * - preview: an input event in the properties panel → the live preview shows the new label.
 * The same is measured first with a 12-field form as the reference (what "small" feels like on this
 * machine), so the ratios show what 50 fields cost. Nothing is written to the database. Prints medians,
 * p95s, ratios to the reference and one target line per measure.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { apiKeys, gatewayUrl, ROOT } from "../../stack/config.ts";
import { docToDefinition, insertField, newField, type BuilderDoc, type PaletteType } from "../../app/builder/model";

const DEV = process.env.BENCH_DEV === "1";
const PREVIEW_PORT = Number(process.env.BENCH_PORT ?? 54398);
const DRAGS = Number(process.env.DRAGS ?? 10);
const EDITS = Number(process.env.EDITS ?? 10);
const FIELDS = 50;
const REFERENCE_FIELDS = Number(process.env.REFERENCE_FIELDS ?? 12);
/** A reaction within 100 ms feels instant; a dragged item that follows the pointer within 50 ms feels attached. */
const GOAL_MS = 100;
const FRAME_GOAL_MS = 50;

const TYPES: PaletteType[] = ["text", "number", "money", "points", "date", "datetime", "select", "multiselect", "checkbox", "phone", "email", "textarea", "member", "business_unit"];

function formWith(fields: number) {
  let doc: BuilderDoc = { title: `基准${fields}字段`, title_en: `Bench ${fields} fields`, columns: 2, fields: [] };
  for (let i = 0; i < fields; i++) {
    const type = i % 10 === 0 ? "section" : TYPES[i % TYPES.length];
    doc = insertField(doc, newField(type, doc, { zh: "字段", en: "Field" }));
  }
  return { title: doc.title, title_en: doc.title_en, ...docToDefinition(doc) };
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { n: values.length, median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? NaN };
};
const fmt = (s: ReturnType<typeof stats>) => `median ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (n=${s.n})`;

/**
 * Page-side probes, as source text (tsx would otherwise inject its helpers into evaluated code).
 * `__after(event, done)` resolves with ms from the next `event` (capture phase) until the expression
 * `done` is true and a frame has painted; pointer moves are timed the same way while `__tracking`.
 */
const PROBES = `(() => {
  const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()))));
  const moves = [];
  window.__moves = moves;
  window.__tracking = false;
  document.addEventListener("pointermove", () => {
    if (!window.__tracking) return;
    const t0 = performance.now();
    painted().then((t) => moves.push(t - t0));
  }, true);
  window.__arm = (event, done) => { window.__armed = window.__after(event, done); };
  window.__after = (event, done) => new Promise((resolve) => {
    const check = new Function("return (" + done + ")");
    document.addEventListener(event, () => {
      const t0 = performance.now();
      let finished = false;
      const finish = () => { if (finished) return; finished = true; painted().then((t) => resolve(t - t0)); };
      const poll = () => { if (check()) finish(); else if (!finished) setTimeout(poll, 1); };
      setTimeout(poll, 0);
    }, { capture: true, once: true });
  });
})()`;

async function installProbes(page: Page) {
  await page.evaluate(PROBES);
}

/**
 * Arms a probe, runs `action`, then waits for the probe. Arming is confirmed before the action: input
 * events and evaluations travel separately, so an unconfirmed listener could miss the event.
 */
async function timed(page: Page, event: string, done: string, action: () => Promise<void>): Promise<number> {
  await page.evaluate(`window.__arm(${JSON.stringify(event)}, ${JSON.stringify(done)})`);
  await action();
  return (await page.evaluate("window.__armed")) as number;
}
const track = (page: Page, on: boolean) => page.evaluate(`window.__tracking = ${on}`);

async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 12, from.y, { steps: 3 });
  await track(page, true);
  await page.mouse.move(to.x, to.y, { steps: 15 });
}

/** A production build of the app in a temporary folder, served by `vite preview`. */
async function servePreview(): Promise<{ url: string; close: () => Promise<void> }> {
  process.env.SUPABASE_URL ??= gatewayUrl();
  process.env.SUPABASE_ANON_KEY ??= (await apiKeys()).anonKey;
  const vite = await import("vite");
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-builder-"));
  const configFile = path.join(ROOT, "vite.config.ts");
  await vite.build({ configFile, logLevel: "warn", build: { outDir, emptyOutDir: true } });
  const server = await vite.preview({ configFile, logLevel: "warn", build: { outDir }, preview: { port: PREVIEW_PORT, host: "127.0.0.1", strictPort: true } });
  return {
    url: `http://127.0.0.1:${PREVIEW_PORT}`,
    close: async () => {
      await server.close();
      fs.rmSync(outDir, { recursive: true, force: true });
    },
  };
}

type Stats = ReturnType<typeof stats>;
interface Measures {
  moves: Stats;
  drops: Stats;
  reorders: Stats;
  previews: Stats;
}

/** One builder session with an imported form of `fields` fields: drags, reorders, property edits. */
async function measure(app: string, fields: number): Promise<Measures> {
  // A browser per session: a second page of one headless browser may not get animation frames.
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: "zh-CN" });
  page.on("pageerror", (e) => console.log("pageerror", e.message));
  page.on("crash", () => console.log("page crashed"));
  page.on("console", (m) => process.env.DEBUG && m.type() === "error" && console.log("console", m.text().slice(0, 300)));
  await page.goto(`${app}/login`);
  await page.getByLabel(/^(邮箱|Email)$/).fill("admin@demo.test");
  await page.getByLabel(/^(密码|Password)$/).fill("demo123456");
  await page.getByRole("button", { name: /^(登\s?录|Sign in)$/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await page.goto(`${app}/builder/entities/bench_${Date.now().toString(36)}`);
  await page.getByRole("button", { name: "导入" }).click();
  await page.getByRole("textbox", { name: "JSON 定义" }).fill(JSON.stringify(formWith(fields)));
  await page.getByRole("button", { name: /^导\s?入$/ }).last().click();
  const canvas = page.getByTestId("builder-canvas");
  const items = canvas.getByRole("listitem");
  await items.nth(fields - 1).waitFor();
  await page.getByRole("dialog").waitFor({ state: "hidden" }); // its closing mask would swallow the first drag
  await installProbes(page);
  console.log(`builder loaded with ${await items.count()} fields (sections included)`);
  // Drags from the palette into the canvas, between existing fields.
  const drops: number[] = [];
  for (let i = 0; i < DRAGS; i++) {
    const count = await items.count();
    const source = (await page.getByRole("button", { name: "添加字段：单行文本", exact: true }).boundingBox())!;
    const target = (await items.nth(8).boundingBox())!;
    await drag(page, { x: source.x + source.width / 2, y: source.y + source.height / 2 }, { x: target.x + target.width / 2, y: target.y + 4 });
    drops.push(await timed(page, "pointerup", `document.querySelectorAll('[data-testid="builder-canvas"] [role="listitem"]').length === ${count + 1}`, () => page.mouse.up()));
    await track(page, false);
  }

  // Reorders within the canvas (field 2 → below field 9).
  const reorders: number[] = [];
  for (let i = 0; i < DRAGS; i++) {
    const moving = await items.nth(2).getAttribute("data-field-key");
    const handle = (await items.nth(2).getByLabel("拖动排序").boundingBox())!;
    const target = (await items.nth(9).boundingBox())!;
    await drag(page, { x: handle.x + handle.width / 2, y: handle.y + handle.height / 2 }, { x: handle.x + handle.width / 2, y: target.y + target.height / 2 + 2 });
    reorders.push(await timed(page, "pointerup", `document.querySelectorAll('[data-testid="builder-canvas"] [role="listitem"]')[2]?.getAttribute("data-field-key") !== ${JSON.stringify(moving)}`, () => page.mouse.up()));
    await track(page, false);
  }
  const moves = (await page.evaluate("window.__moves")) as number[];

  // Preview updates: typing a new label for the selected field.
  await items.nth(5).click();
  const label = page.getByLabel("中文标签", { exact: true });
  const previews: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const text = `预览标签${i}`;
    previews.push(await timed(page, "input", `!!document.querySelector('[data-testid="builder-preview"]')?.textContent?.includes(${JSON.stringify(text)})`, () => label.fill(text)));
  }
  await browser.close();
  return { moves: stats(moves), drops: stats(drops), reorders: stats(reorders), previews: stats(previews) };
}

const LABELS: Record<keyof Measures, string> = {
  moves: "pointer move → painted frame while dragging",
  drops: "drag from palette → field in canvas, painted",
  reorders: "reorder drag → field in new place, painted",
  previews: "property edit → live preview updated",
};

async function main() {
  const served = DEV ? { url: process.env.APP_URL ?? "http://127.0.0.1:54323", close: async () => {} } : await servePreview();
  console.log(`measuring ${DEV ? "the dev server" : "a production build"} at ${served.url}`);
  const reference = await measure(served.url, REFERENCE_FIELDS);
  const measured = await measure(served.url, FIELDS);
  await served.close();

  for (const key of Object.keys(LABELS) as (keyof Measures)[]) {
    const ratio = measured[key].median / reference[key].median;
    console.log(`${LABELS[key]} (${FIELDS} fields): ${fmt(measured[key])}; reference ${REFERENCE_FIELDS} fields median ${reference[key].median.toFixed(1)} ms, ratio ${ratio.toFixed(2)}x`);
  }
  const target = (name: string, value: number, goal: number) =>
    console.log(`target ${name}: ${value.toFixed(1)} ms (goal < ${goal} ms) ${value < goal ? "PASS" : "MISS"}`);
  target("builder-50-fields-drag", measured.drops.median, GOAL_MS);
  target("builder-50-fields-reorder", measured.reorders.median, GOAL_MS);
  target("builder-50-fields-preview", measured.previews.median, GOAL_MS);
  target("builder-50-fields-drag-frame-p95", measured.moves.p95, FRAME_GOAL_MS);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
