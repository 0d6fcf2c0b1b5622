import { useInvalidate } from "@refinedev/core";
import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { callRpc, type RpcError } from "./rpc";

interface RpcMutationOptions<TInput, TResult> {
  /** The SQL function's arguments (p_...) for one call. */
  args: (input: TInput) => Record<string, unknown>;
  /** Refine resources whose cached rows the call may change, re-read after it succeeds. */
  invalidates?: readonly string[] | ((result: TResult) => readonly string[]);
  /** Other cached queries (not Refine resources, e.g. another RPC's answer) the call may change. */
  invalidatesQueries?: readonly QueryKey[];
}

/**
 * The app's one way to call an RPC that changes data: through the data provider, in Refine's
 * React Query cache, re-reading the resources it affects.
 */
export function useRpcMutation<TInput, TResult>(
  fn: string,
  { args, invalidates = [], invalidatesQueries = [] }: RpcMutationOptions<TInput, TResult>,
) {
  const invalidate = useInvalidate();
  const queryClient = useQueryClient();
  return useMutation<TResult, RpcError, TInput>({
    mutationKey: ["rpc", fn],
    mutationFn: (input) => callRpc<TResult>(fn, args(input)),
    onSuccess: (result) => {
      const resources = typeof invalidates === "function" ? invalidates(result) : invalidates;
      return Promise.all([
        ...resources.map((resource) => invalidate({ resource, invalidates: ["resourceAll"] })),
        ...invalidatesQueries.map((queryKey) => queryClient.invalidateQueries({ queryKey })),
      ]).then(() => undefined);
    },
  });
}
