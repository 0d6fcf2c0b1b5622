/**
 * `npm run audit:verify`: checks the audit trail's hash chain (private.audit_verify) and reports the first
 * broken link: the row's id, its chain position and what is wrong (content_changed, link_broken, row_missing,
 * unchained, head_mismatch). Exit code 0 when the chain holds, 1 when it is broken, 2 when it cannot check.
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
}

export async function verifyAuditChain(connectionString: string): Promise<ChainCheck> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query("select ok, checked::int, broken_id::int, broken_seq::int, problem from private.audit_verify()");
    return rows[0] as ChainCheck;
  } finally {
    await client.end();
  }
}

const PROBLEMS: Record<string, string> = {
  content_changed: "the row's content is not what was hashed (changed after it was written)",
  link_broken: "the row's previous-hash is not the hash of the row before it",
  row_missing: "the chain position before this row is missing (a row was removed)",
  unchained: "the row was written outside the chain",
  head_mismatch: "the chain's last rows were removed",
};

async function main() {
  const result = await verifyAuditChain(process.env.DATABASE_URL ?? superuserUrl());
  if (result.ok) {
    console.log(`audit chain intact: ${result.checked} rows checked`);
    return 0;
  }
  const where = result.broken_id === null ? `after chain position ${result.checked}` : `at audit_log row id ${result.broken_id} (chain position ${result.broken_seq})`;
  console.log(`audit chain broken ${where}: ${result.problem} – ${PROBLEMS[result.problem ?? ""] ?? ""}`);
  console.log(`first broken link: id=${result.broken_id ?? "-"} seq=${result.broken_seq ?? "-"} problem=${result.problem}`);
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
