import { describe, expect, it } from "vitest";
import { modulesIn } from "./modules-in.ts";

const isModule = (value: unknown): value is { position: number; name: string } =>
  typeof value === "object" && value !== null && "position" in value;
const FIXTURES = new URL("./fixtures/", import.meta.url);

describe("registry folders", () => {
  it("Vite: takes the modules import.meta.glob found, ordered by position", async () => {
    const found = await modulesIn(() => import.meta.glob("./fixtures/*.ts", { eager: true }), FIXTURES, isModule);
    expect(found.map((m) => m.name)).toEqual(["first", "second"]);
  });

  it("Node: reads the folder when import.meta.glob does not exist", async () => {
    const noGlob = () => {
      throw new TypeError("import.meta.glob is not a function");
    };
    const found = await modulesIn(noGlob, FIXTURES, isModule);
    expect(found.map((m) => m.name)).toEqual(["first", "second"]);
  });

  it("refuses two modules in one position", async () => {
    const clash = () => ({ "./a.ts": { a: { position: 1, name: "a" } }, "./b.ts": { b: { position: 1, name: "b" } } });
    await expect(modulesIn(clash, FIXTURES, isModule)).rejects.toThrow(/share position 1/);
  });
});
