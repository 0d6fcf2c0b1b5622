import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap, migrate, migrationFiles } from "../../stack/migrate.ts";
import { databaseUrl, superuser } from "./stack-env.ts";

// Applies bootstrap + every migration to a brand-new database in the same cluster.
describe("migrations", () => {
  const name = `migrate_check_${process.pid}_${Date.now()}`;
  let admin: pg.Client;
  let fresh: pg.Client;

  beforeAll(async () => {
    admin = await superuser();
    await admin.query(`create database ${name}`);
    const url = new URL(databaseUrl());
    url.pathname = `/${name}`;
    fresh = new pg.Client({ connectionString: url.toString() });
    await fresh.connect();
  });

  afterAll(async () => {
    await fresh?.end();
    await admin?.query(`drop database if exists ${name} with (force)`);
    await admin?.end();
  });

  it("apply from zero, are recorded as the Supabase CLI records them, and never twice", async () => {
    await bootstrap(fresh);
    const first = await migrate(fresh);
    expect(first).toEqual(migrationFiles().map((m) => m.version));
    const { rows } = await fresh.query("select version, name, statements from supabase_migrations.schema_migrations order by version");
    expect(rows.map((r) => `${r.version}_${r.name}`)).toEqual(migrationFiles().map((m) => `${m.version}_${m.name}`));
    expect(rows.every((r) => r.statements.length === 1 && r.statements[0].length > 0)).toBe(true);

    await bootstrap(fresh);
    expect(await migrate(fresh)).toEqual([]);
  });

  it("leave row-level security on, with at least one policy, for every table in the exposed schema", async () => {
    const { rows } = await fresh.query(`
      select c.relname, c.relrowsecurity,
             (select count(*) from pg_policy p where p.polrelid = c.oid)::int as policies
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')`);
    expect(rows.length).toBeGreaterThan(0);
    const unprotected = rows.filter((r) => !r.relrowsecurity || r.policies === 0).map((r) => r.relname);
    expect(unprotected).toEqual([]);
  });

  it("refuse a database migrated with an earlier set of migrations, before applying anything", async () => {
    await fresh.query(
      "insert into supabase_migrations.schema_migrations (version, name, statements) values ('20261101000000', 'identity_and_access', '{}')",
    );
    try {
      await expect(migrate(fresh)).rejects.toThrow(/20261101000000_identity_and_access.*rm -rf \.local\/postgres, then npm start/);
    } finally {
      await fresh.query("delete from supabase_migrations.schema_migrations where version = '20261101000000'");
    }
  });

  it("contain nothing local-only (no auth schema DDL, no role creation)", async () => {
    const fs = await import("node:fs");
    for (const m of migrationFiles()) {
      const sql = fs.readFileSync(m.file, "utf8").toLowerCase();
      expect(sql, m.file).not.toMatch(/create\s+(table|function|schema)\s+(if not exists\s+)?auth\./);
      expect(sql, m.file).not.toMatch(/create\s+role/);
    }
  });
});
