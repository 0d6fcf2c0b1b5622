import { dataProvider } from "../providers/data-provider";

export { RpcError } from "../providers/rpc-error";

/** Calls the SQL function `fn` as the signed-in user through the data provider; throws RpcError with the server's message. */
export async function callRpc<T>(fn: string, args: Record<string, unknown>): Promise<T> {
  const { data } = await dataProvider.custom!({ url: `rpc/${fn}`, method: "post", payload: args });
  return data as T;
}
