/** The Vite server of the app, pointed at whichever Supabase URL and anon key the environment holds. */
import path from "node:path";
import { config, ROOT } from "./config.ts";

export async function startAppServer(verbose: boolean) {
  const { createServer } = await import("vite");
  const vite = await createServer({
    configFile: path.join(ROOT, "vite.config.ts"),
    cacheDir: config.viteCacheDir,
    server: { port: config.appPort, host: config.host, strictPort: true },
    logLevel: verbose ? "info" : "warn",
  });
  await vite.listen();
  return vite;
}
