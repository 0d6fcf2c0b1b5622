/**
 * The modules of one registry folder, so that adding a kind is adding a file. Vite (app, vitest) lists
 * the folder at build time through `import.meta.glob`; plain Node (engine, stack under tsx) reads the
 * folder. `glob` must be written in the registry's own file as
 *   () => import.meta.glob(["./folder/*.ts", "!./folder/*.test.ts"], { eager: true })
 * Vite expands it there (tests excluded, or vitest would land in the app bundle); under Node it throws a
 * TypeError, and the folder is read instead.
 */
type Exports = Record<string, unknown>;

const NODE_FS = "node:fs";

async function readFolder(folder: URL): Promise<[string, Exports][]> {
  const fs = (await import(/* @vite-ignore */ NODE_FS)) as typeof import("node:fs");
  const files = fs.readdirSync(folder).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).sort();
  return Promise.all(files.map(async (f) => [f, (await import(/* @vite-ignore */ new URL(f, folder).href)) as Exports] as [string, Exports]));
}

/** Every export of the folder's modules that `accept` recognises, ordered by `position`. */
export async function modulesIn<T extends { position: number }>(
  glob: () => Record<string, unknown>,
  folder: URL,
  accept: (value: unknown) => value is T,
): Promise<T[]> {
  let found: [string, Exports][];
  try {
    found = Object.entries(glob() as Record<string, Exports>);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    found = await readFolder(folder);
  }
  const modules = found.flatMap(([, exports]) => Object.values(exports).filter(accept));
  const positions = new Map<number, T>();
  for (const m of modules) {
    if (positions.has(m.position)) throw new Error(`two registry modules in ${folder.pathname} share position ${m.position}`);
    positions.set(m.position, m);
  }
  return modules.sort((a, b) => a.position - b.position);
}
