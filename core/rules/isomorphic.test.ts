// core/rules runs in the browser (Vite) and in the Node worker, under a CSP without 'unsafe-eval'.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const sources = readdirSync(here).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

const FORBIDDEN: [string, RegExp][] = [
  ["Node built-in imports", /from\s+["'](node:|fs|path|os|crypto|util|buffer)["']/],
  ["require()", /\brequire\s*\(/],
  ["Node globals", /\b(process|Buffer|__dirname|__filename|global)\b\s*[.[(]/],
  ["eval", /\beval\s*\(/],
  ["new Function", /\bnew\s+Function\b/],
  ["imports outside core/rules", /from\s+["'](\.\.\/|[^."'])/],
];

describe("core/rules is isomorphic and CSP-safe", () => {
  it("has sources to check", () => expect(sources.length).toBeGreaterThan(5));

  it.each(sources)("%s", (file) => {
    const text = readFileSync(path.join(here, file), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    for (const [what, pattern] of FORBIDDEN) expect(pattern.test(text), `${file} uses ${what}`).toBe(false);
  });
});
