// core/rules runs in the browser (Vite) and in the Node worker. Only compile-source.ts generates code, and it
// steps aside where that is refused (a CSP without 'unsafe-eval'; see compile-source.test.ts).
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
  ["the Function constructor", /\bFunction\s*\(|\bnew\s+Function\b/],
  ["imports outside core/rules", /from\s+["'](\.\.\/|[^."'])/],
];

describe("core/rules is isomorphic and generates code in one place only", () => {
  it("has sources to check", () => expect(sources.length).toBeGreaterThan(5));

  it.each(sources)("%s", (file) => {
    const text = readFileSync(path.join(here, file), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    for (const [what, pattern] of FORBIDDEN) {
      if (file === "compile-source.ts" && what === "the Function constructor") continue;
      expect(pattern.test(text), `${file} uses ${what}`).toBe(false);
    }
  });
});
