import { QueryClient } from "@tanstack/react-query";

/** Refine's query cache, owned here so that signing out can stop and drop the signed-in user's queries. */
export const queryClient = new QueryClient();

/**
 * Cancels what is in flight and forgets every cached answer: after sign-out no query may refetch
 * with the old session (it would be refused with 401) or show the previous user's data.
 */
export async function dropUserQueries() {
  await queryClient.cancelQueries();
  queryClient.clear();
}
