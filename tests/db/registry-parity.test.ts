/**
 * core/ and SQL state the same lists and limits twice (TypeScript for the app and the engine, SQL to guard
 * the data): this file fails as soon as the two disagree. SQL is read as the database has it: check
 * constraints (pg_get_constraintdef), enum types (pg_enum), policies (pg_policies), functions called
 * with each value and tables written from core (public.rule_kinds). The seed definitions in schemas/ are compared with core as well.
 */
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACCESS_MATRIX, APPROVAL_EVENTS, APPROVAL_REQUEST_STATUSES, APPROVAL_TASK_STATUSES, BUSINESS_UNIT_KINDS, MAX_ADJUSTMENT_POINTS, CHANNEL_PATTERN, CODE_PATTERN, DEFAULT_ENTITY_PERMISSIONS, DEFAULT_RECORDING_CHANNEL,
  DEFAULT_STORED_CHANNEL, DEFINITION_STATUSES, defaultLotExpiry, ENTITY_KEY_PATTERN, ENTITY_RECORD_COLUMNS, FORM_KEY_PATTERN,
  FRONT_OFFICE_ROLES, GENDERS, GRANTABLE_ROLES, LOT_KINDS, MAX_BACKDATE_DAYS, MAX_CLIENT_IDEMPOTENCY_KEY_LENGTH,
  MAX_EXPIRY_YEARS, MAX_FUTURE_SKEW_MINUTES, MAX_MANUAL_EARN_POINTS, MAX_ORDER_NO_LENGTH, MAX_RULE_MESSAGE_LENGTH, MAX_TRANSACTION_YUAN,
  MEMBER_STATUSES, PERSONAL_DATA_ROLES, PHONE_PATTERN, ROLES, RULE_KEY_PATTERN, RULE_PRIORITY_MAX, RULE_PRIORITY_MIN, TRANSACTION_CHANNELS,
  UUID_PATTERN, WHAT_IF_MAX_DAYS, WHAT_IF_MAX_RULES, RULE_SUSPEND_AFTER_FAILURES, RULE_SUSPEND_WINDOW_MINUTES, EARN_MAX_ATTEMPTS,
} from "../../core/enums/index.ts";
import { RULE_KIND_MODULES, RULE_KINDS } from "../../core/rule-kinds/index.ts";
import { customOperations } from "../../core/rules/index.ts";
import { MAX_TAG_LENGTH } from "../../core/rule-kinds/kinds/tagging.ts";
import { superuser } from "./stack-env.ts";

let db: pg.Client;
beforeAll(async () => {
  db = await superuser();
});
afterAll(async () => {
  await db?.end();
});

const sorted = (values: readonly string[]) => [...values].sort();

async function enumValues(type: string): Promise<string[]> {
  const { rows } = await db.query<{ label: string }>(
    "select enumlabel as label from pg_enum where enumtypid = $1::regtype order by enumsortorder", [type],
  );
  return rows.map((r) => r.label);
}

async function constraint(table: string, name: string): Promise<string> {
  const { rows } = await db.query<{ def: string }>(
    "select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = $1::regclass and conname = $2", [table, name],
  );
  if (!rows[0]) throw new Error(`no constraint ${name} on ${table}`);
  return rows[0].def;
}

/** The text literals of a constraint ('a'::text, ...), in order. */
const literals = (def: string) => [...def.matchAll(/'((?:[^']|'')*)'::text/g)].map((m) => m[1].replace(/''/g, "'"));
/** The pattern of a `column ~ 'pattern'` check. */
const patternOf = (def: string) => /~ '((?:[^']|'')*)'::text/.exec(def)?.[1].replace(/''/g, "'");
/** The numbers of a constraint, in order. */
const numbers = (def: string) => [...def.matchAll(/'?(-?\d+)'?(?:::\w+)?/g)].map((m) => Number(m[1]));

describe("enum types", () => {
  it.each([
    ["public.app_role", ROLES],
    ["public.business_unit_kind", BUSINESS_UNIT_KINDS],
    ["public.member_status", MEMBER_STATUSES],
    ["public.gender", GENDERS],
    ["public.config_status", DEFINITION_STATUSES],
    ["public.approval_request_status", APPROVAL_REQUEST_STATUSES],
    ["public.approval_task_status", APPROVAL_TASK_STATUSES],
  ] as const)("%s", async (type, values) => {
    expect(await enumValues(type)).toEqual([...values]);
  });

  it("grantable roles are every role but admin", () => {
    expect(sorted(GRANTABLE_ROLES)).toEqual(sorted(ROLES.filter((r) => r !== "admin")));
  });
});

describe("lot kinds", () => {
  it.each([
    ["public.point_lots", "point_lots_kind_check"],
    ["public.rules", "rules_lot_kind_check"],
  ])("%s %s", async (table, name) => {
    expect(sorted(literals(await constraint(table, name)))).toEqual(sorted(LOT_KINDS));
  });

  it("default validity per kind is private.default_expiry", async () => {
    const earned = Date.UTC(2026, 2, 10, 2, 0, 0);
    for (const kind of [...LOT_KINDS, "unknown-kind"]) {
      const { rows } = await db.query<{ at: Date }>("select private.default_expiry($1, $2) as at", [kind, new Date(earned)]);
      expect({ kind, at: rows[0].at.getTime() }).toEqual({ kind, at: defaultLotExpiry(kind, earned) });
    }
  });
});

describe("approvals", () => {
  it("timeline events (approval_events_event_check)", async () => {
    expect(literals(await constraint("public.approval_events", "approval_events_event_check"))).toEqual([...APPROVAL_EVENTS]);
  });
});

describe("rule operations", () => {
  it("the rule shape check (private.rule_operations) knows every custom operation of core/rules", async () => {
    const { rows } = await db.query<{ ops: string[] }>("select private.rule_operations() as ops");
    const missing = Object.keys(customOperations).filter((op) => !rows[0].ops.includes(op));
    expect(missing).toEqual([]);
  });
});

describe("rule kinds", () => {
  it("public.rule_kinds holds every kind module's policies", async () => {
    const { rows } = await db.query<{ kind: string; combinations: string[]; unit_scoped: boolean; uses_lot_kind: boolean }>(
      "select kind, combinations, unit_scoped, uses_lot_kind from public.rule_kinds where kind = any($1) order by kind", [RULE_KINDS],
    );
    expect(rows).toEqual(
      sorted(RULE_KINDS).map((kind) => {
        const m = RULE_KIND_MODULES.find((k) => k.kind === kind)!;
        return { kind, combinations: [...m.combinations], unit_scoped: m.unitScoped, uses_lot_kind: m.usesLotKind };
      }),
    );
  });

  it.each([
    ["public.rules", "rules_kind_fkey"],
    ["public.rule_sets", "rule_sets_kind_fkey"],
  ])("%s references the kinds (%s)", async (table, name) => {
    expect(await constraint(table, name)).toBe("FOREIGN KEY (kind) REFERENCES rule_kinds(kind)");
  });
});

describe("patterns", () => {
  it.each([
    ["public.members", "members_phone_check", PHONE_PATTERN],
    ["public.business_units", "business_units_code_check", CODE_PATTERN],
    ["public.tiers", "tiers_code_check", CODE_PATTERN],
    ["public.rules", "rules_key_check", RULE_KEY_PATTERN],
    ["public.form_definitions", "form_definitions_key_check", FORM_KEY_PATTERN],
    ["public.entity_definitions", "entity_definitions_key_check", ENTITY_KEY_PATTERN],
    ["public.transactions", "transactions_channel_check", CHANNEL_PATTERN],
    ["public.notifications_outbox", "notifications_outbox_channel_check", CHANNEL_PATTERN],
  ])("%s %s", async (table, name, pattern) => {
    expect(patternOf(await constraint(table, name))).toBe(pattern);
  });

  it("every transaction channel is a channel name the database accepts", async () => {
    const { rows } = await db.query<{ channel: string; ok: boolean }>(
      "select c as channel, c ~ $2 as ok from unnest($1::text[]) as c", [TRANSACTION_CHANNELS, CHANNEL_PATTERN],
    );
    expect(rows.filter((r) => !r.ok)).toEqual([]);
  });

  it("default channels are record_transaction's and the column's", async () => {
    const { rows } = await db.query<{ def: string }>(
      "select pg_get_expr(d.adbin, d.adrelid) as def from pg_attrdef d join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum where d.adrelid = 'public.transactions'::regclass and a.attname = 'channel'",
    );
    expect(literals(rows[0].def)).toEqual([DEFAULT_STORED_CHANNEL]);
    const fn = await db.query<{ args: string }>("select pg_get_function_arguments('public.record_transaction'::regproc) as args");
    expect(fn.rows[0].args).toContain(`p_channel text DEFAULT '${DEFAULT_RECORDING_CHANNEL}'::text`);
  });
});

describe("limits", () => {
  it("order numbers", async () => {
    expect(Math.max(...numbers(await constraint("public.transactions", "transactions_order_no_check")))).toBe(MAX_ORDER_NO_LENGTH);
  });

  it("rule priority", async () => {
    expect(numbers(await constraint("public.rules", "rules_priority_check"))).toEqual([RULE_PRIORITY_MIN, RULE_PRIORITY_MAX]);
  });

  it("engine failure handling", async () => {
    const { rows } = await db.query("select private.engine_limits() as l");
    expect(rows[0].l).toEqual({
      rule_suspend_after_failures: RULE_SUSPEND_AFTER_FAILURES,
      rule_suspend_window_minutes: RULE_SUSPEND_WINDOW_MINUTES,
      earn_max_attempts: EARN_MAX_ATTEMPTS,
    });
  });

  it("what-if runs and rule messages", async () => {
    expect(numbers(await constraint("public.what_if_runs", "what_if_runs_days_check"))).toEqual([1, WHAT_IF_MAX_DAYS]);
    expect(numbers(await constraint("public.what_if_runs", "what_if_runs_rule_keys_check"))).toEqual([WHAT_IF_MAX_RULES]);
    expect(numbers(await constraint("public.rule_errors", "rule_errors_message_check"))).toEqual([MAX_RULE_MESSAGE_LENGTH]);
  });

  it("posting bounds: manual earn cap, clock skew, back-dating window, expiry horizon, user key length", async () => {
    const { rows } = await db.query<{ limits: Record<string, number> }>("select private.posting_limits() as limits");
    expect(rows[0].limits).toEqual({
      manual_earn_max_points: MAX_MANUAL_EARN_POINTS,
      future_skew_minutes: MAX_FUTURE_SKEW_MINUTES,
      backdate_days: MAX_BACKDATE_DAYS,
      expiry_max_years: MAX_EXPIRY_YEARS,
      client_key_max_length: MAX_CLIENT_IDEMPOTENCY_KEY_LENGTH,
    });
  });

  it("record_transaction accepts the transaction cap and refuses a cent more", async () => {
    const { rows } = await db.query<{ member: string; unit: string }>(
      "select (select id from public.members where status = 'active' and merged_into is null limit 1) as member, (select id from public.business_units where active limit 1) as unit",
    );
    const record = (amount: number, order: string) =>
      db.query("select public.record_transaction($1, $2, $3, $4)", [rows[0].member, rows[0].unit, order, amount]);
    await db.query("begin");
    try {
      await expect(record(MAX_TRANSACTION_YUAN, `parity-cap-${Date.now()}`)).resolves.toBeTruthy();
      await db.query("savepoint over");
      await expect(record(MAX_TRANSACTION_YUAN + 0.01, `parity-over-${Date.now()}`)).rejects.toThrow(/exceeds the limit/);
    } finally {
      await db.query("rollback");
    }
  });
});

describe("entity records", () => {
  it("columns of entity_records", async () => {
    const { rows } = await db.query<{ name: string }>(
      "select column_name as name from information_schema.columns where table_schema = 'public' and table_name = 'entity_records'",
    );
    expect(sorted(rows.map((r) => r.name))).toEqual(sorted(ENTITY_RECORD_COLUMNS));
  });

  it("the default permissions of a new entity are valid", async () => {
    const { rows } = await db.query<{ ok: boolean }>("select private.valid_entity_permissions($1::jsonb) as ok", [JSON.stringify(DEFAULT_ENTITY_PERMISSIONS)]);
    expect(rows[0].ok).toBe(true);
  });
});

describe("access matrix", () => {
  /** Roles named by a policy's has_any_role('{...}'), plus admin (admins hold every role). */
  async function policyRoles(table: string, command: string): Promise<string[]> {
    const { rows } = await db.query<{ expr: string }>(
      "select coalesce(with_check, qual) as expr from pg_policies where schemaname = 'public' and tablename = $1 and cmd = $2", [table, command],
    );
    const expr = rows.map((r) => r.expr).join(" ");
    const listed = /has_any_role\('\{([^}]*)\}'/.exec(expr)?.[1];
    if (listed === undefined) throw new Error(`no has_any_role in the ${command} policy of ${table}: ${expr}`);
    return sorted([...listed.split(","), "admin"]);
  }

  it.each([
    ["members", "INSERT", ACCESS_MATRIX.members.create],
    ["members", "UPDATE", ACCESS_MATRIX.members.edit],
    ["member_identities", "INSERT", ACCESS_MATRIX.member_identities.create],
    ["member_identities", "DELETE", ACCESS_MATRIX.member_identities.delete],
  ] as const)("%s %s", async (table, command, roles) => {
    expect(await policyRoles(table, command)).toEqual(sorted(roles));
  });

  it("personal data in full for the roles that serve members", async () => {
    const { rows } = await db.query<{ src: string }>("select prosrc as src from pg_proc where proname = 'sees_personal_data'");
    const listed = /has_any_role\('\{([^}]*)\}'/.exec(rows[0].src)?.[1] ?? "";
    expect(sorted([...listed.split(","), "admin"])).toEqual(sorted(PERSONAL_DATA_ROLES));
  });

  it("the ledger functions post for the front office", async () => {
    const { rows } = await db.query<{ src: string }>("select prosrc as src from pg_proc where proname = 'assert_ledger_access'");
    const listed = /has_any_role\('\{([^}]*)\}'/.exec(rows[0].src)?.[1] ?? "";
    expect(sorted([...listed.split(","), "admin"])).toEqual(sorted(FRONT_OFFICE_ROLES));
    expect(sorted(ACCESS_MATRIX.transactions.create)).toEqual(sorted(FRONT_OFFICE_ROLES)); // record_transaction
  });
});

describe("seed definitions in schemas/ agree with core", () => {
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join("schemas", file), "utf8")) as { properties: Record<string, Record<string, unknown>> };
  const files = ["forms", "entities"].flatMap((dir) =>
    fs.readdirSync(path.join("schemas", dir)).filter((f) => f.endsWith(".schema.json")).map((f) => `${dir}/${f}`));

  it.each(files)("%s: phone and id patterns", (file) => {
    for (const [name, property] of Object.entries(read(file).properties)) {
      if (/(^|_)phone$/.test(name)) expect({ name, pattern: property.pattern }).toEqual({ name, pattern: PHONE_PATTERN });
      if (/_id$/.test(name)) expect({ name, pattern: property.pattern }).toEqual({ name, pattern: UUID_PATTERN });
      if (name === "code") expect({ name, pattern: property.pattern }).toEqual({ name, pattern: CODE_PATTERN });
    }
  });

  it("transaction form: channels, amount cap, order number length", () => {
    const { properties } = read("forms/transaction.schema.json");
    expect(properties.channel.enum).toEqual([...TRANSACTION_CHANNELS]);
    expect(properties.channel.default).toBe(DEFAULT_STORED_CHANNEL);
    expect(properties.amount.maximum).toBe(MAX_TRANSACTION_YUAN);
    expect(properties.order_no.maxLength).toBe(MAX_ORDER_NO_LENGTH);
  });

  it("member entity and form: statuses, genders, tags", () => {
    const member = read("entities/members.schema.json").properties;
    expect(member.status.enum).toEqual([...MEMBER_STATUSES]);
    expect(member.gender.enum).toEqual([...GENDERS]);
    expect((member.tags.items as { maxLength: number }).maxLength).toBe(MAX_TAG_LENGTH);
    const form = read("forms/member.schema.json").properties;
    expect(form.gender.enum).toEqual([...GENDERS]);
    expect((form.tags.items as { maxLength: number }).maxLength).toBe(MAX_TAG_LENGTH);
  });

  it("points adjustment form: lot kinds and the adjustment cap", () => {
    const form = read("forms/points-compensation.schema.json").properties;
    expect((form.lot_kind.enum as string[]).filter((kind) => !(LOT_KINDS as readonly string[]).includes(kind))).toEqual([]);
    expect([form.points.minimum, form.points.maximum]).toEqual([-MAX_ADJUSTMENT_POINTS, MAX_ADJUSTMENT_POINTS]);
  });

  it("business unit entity: kinds", () => {
    expect(read("entities/business_units.schema.json").properties.kind.enum).toEqual([...BUSINESS_UNIT_KINDS]);
  });

  it("related order numbers are order numbers", () => {
    expect(read("forms/points-compensation.schema.json").properties.related_order_no.maxLength).toBe(MAX_ORDER_NO_LENGTH);
  });
});
