/**
 * The engine on its own, against DATABASE_URL (hosted Supabase, or any Postgres with the migrations
 * applied): `npx tsx engine/main.ts [--verbose]`. Run as many as you like; Ctrl-C (SIGINT/SIGTERM) stops
 * one gracefully. The local stack runs one itself (`npm start`).
 */
import { startEngine } from "./worker.ts";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("DATABASE_URL is required (the Postgres connection string of the project's database)");
  process.exit(1);
}
const engine = await startEngine({ databaseUrl, verbose: process.argv.includes("--verbose") });
console.log("rules engine running; Ctrl-C stops it");
const stop = async () => {
  await engine.stop();
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
