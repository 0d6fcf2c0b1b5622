import { useInvalidate } from "@refinedev/core";
import { useMutation } from "@tanstack/react-query";
import { callRpc, type RpcError } from "./rpc";

interface RpcMutationOptions<TInput, TResult> {
  /** The SQL function's arguments (p_...) for one call. */
  args: (input: TInput) => Record<string, unknown>;
  /** Refine resources whose cached rows the call may change, re-read after it succeeds. */
  invalidates?: readonly string[] | ((result: TResult) => readonly string[]);
}

/**
 * The app's one way to call an RPC that changes data: through the data provider, in Refine's
 * React Query cache, re-reading the resources it affects.
 */
export function useRpcMutation<TInput, TResult>(fn: string, { args, invalidates = [] }: RpcMutationOptions<TInput, TResult>) {
  const invalidate = useInvalidate();
  return useMutation<TResult, RpcError, TInput>({
    mutationKey: ["rpc", fn],
    mutationFn: (input) => callRpc<TResult>(fn, args(input)),
    onSuccess: (result) => {
      const resources = typeof invalidates === "function" ? invalidates(result) : invalidates;
      return Promise.all(resources.map((resource) => invalidate({ resource, invalidates: ["resourceAll"] }))).then(() => undefined);
    },
  });
}
