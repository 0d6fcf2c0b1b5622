/** Connection pool and a transaction helper. */
import pg from "pg";
import { HttpError } from "./errors.ts";

export type Db = pg.Pool;
export type Tx = pg.PoolClient;

export function createPool(databaseUrl: string): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 5, application_name: "local-auth" });
  pool.on("error", (error) => console.error("[auth] idle client error:", error.message));
  return pool;
}

const LOCK_NOT_AVAILABLE = "55P03";

/** Runs fn in one transaction; a lock wait beyond 5 s becomes GoTrue's 409 `conflict`. */
export async function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await db.connect();
  let broken: Error | undefined;
  try {
    await client.query("begin");
    await client.query("set local lock_timeout = '5s'");
    const result = await fn(client);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch((e: Error) => (broken = e));
    if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) {
      throw new HttpError(409, "conflict", "Request conflicts with another concurrent request; try again");
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Anything that can run a query: the pool or a client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}
