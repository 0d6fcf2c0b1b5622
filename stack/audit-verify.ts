/**
 * `npm run audit:verify`: seals the committed unsealed audit rows first (private.seal_audit_chain, as the engine's
 * audit_seal cron does every minute), then checks the sealed hash chain (private.audit_verify) and reports the
 * first broken link: the row's id, its chain position and what is wrong (content_changed, link_broken,
 * row_missing, head_mismatch); and how many rows are still unsealed (0 right after sealing, unless a write
 * committed meanwhile or another sealer held the lock). Exit code 0 when the chain holds, 1 when it is broken,
 * 2 when it cannot check.
 * Database: DATABASE_URL, else the local stack's (npm start).
 */
import pg from "pg";
import { superuserUrl } from "./config.ts";

export interface ChainCheck {
  ok: boolean;
  checked: number;
  broken_id: number | null;
  broken_seq: number | null;
  problem: string | null;
  /** Rows written but not yet sealed when the check ran. */
  unsealed: number;
  /** Rows this run sealed before checking. */
  sealed: number;
}

/** Seals every committed unsealed row (batches of 10000); 0 when another sealer holds the lock. */
export async function sealAuditChain(client: pg.Client): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await client.query("select private.seal_audit_chain(10000) as n");
    total += rows[0].n as number;
    if (rows[0].n < 10000) return total;
  }
}

export async function verifyAuditChain(connectionString: string): Promise<ChainCheck> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const sealed = await sealAuditChain(client);
    const { rows } = await client.query(
      "select ok, checked::int, broken_id::int, broken_seq::int, problem, unsealed::int from private.audit_verify()");
    return { ...(rows[0] as Omit<ChainCheck, "sealed">), sealed };
  } finally {
    await client.end();
  }
}

const PROBLEMS: Record<string, string> = {
  content_changed: "the row's content is not what was hashed (changed after it was written)",
  link_broken: "the row's previous-hash is not the hash of the row before it",
  row_missing: "the chain position before this row is missing (a row was removed)",
  head_mismatch: "the chain's last rows were removed",
};

async function main() {
  const result = await verifyAuditChain(process.env.DATABASE_URL ?? superuserUrl());
  const unsealed = `${result.sealed} rows sealed now, ${result.unsealed} still unsealed`;
  if (result.ok) {
    console.log(`audit chain intact: ${result.checked} rows checked (${unsealed})`);
    return 0;
  }
  const where = result.broken_id === null ? `after chain position ${result.checked}` : `at audit_log row id ${result.broken_id} (chain position ${result.broken_seq})`;
  console.log(`audit chain broken ${where}: ${result.problem} – ${PROBLEMS[result.problem ?? ""] ?? ""}`);
  console.log(`first broken link: id=${result.broken_id ?? "-"} seq=${result.broken_seq ?? "-"} problem=${result.problem}`);
  console.log(unsealed);
  return 1;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(`audit:verify could not check the chain: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    },
  );
}
