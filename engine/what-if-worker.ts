/**
 * A what-if partition in a worker thread (see what-if-job.ts): opens its own connection, imports the
 * coordinator's snapshot, simulates its id range and posts the partial state back.
 */
import pg from "pg";
import { parentPort, workerData } from "node:worker_threads";
import { simulatePartition, type IdRange } from "./what-if.ts";

interface Input {
  databaseUrl: string;
  snapshot: string;
  ruleKeys: string[];
  days: number;
  asOf: string;
  range: IdRange;
  batchSize?: number;
}

const input = workerData as Input;
const client = new pg.Client({ connectionString: input.databaseUrl, application_name: "rules-engine what-if" });
try {
  await client.connect();
  await client.query("begin isolation level repeatable read read only");
  await client.query(`set transaction snapshot ${client.escapeLiteral(input.snapshot)}`);
  const result = await simulatePartition(client, {
    ruleKeys: input.ruleKeys, days: input.days, asOf: new Date(input.asOf), range: input.range, batchSize: input.batchSize,
    onRows: (count) => parentPort!.postMessage({ type: "rows", count }),
  });
  await client.query("commit");
  parentPort!.postMessage({ type: "done", result });
} catch (error) {
  parentPort!.postMessage({ type: "error", message: (error as Error).message });
} finally {
  await client.end().catch(() => undefined);
}
