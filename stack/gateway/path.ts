/**
 * Request-target normalisation before routing and the apikey check: dot segments are resolved (and
 * may not climb above the root), repeated slashes collapse, and a path that hides a dot segment or a
 * slash behind percent-encoding (%2e, %2f, %5c) or a backslash is refused, because an upstream that
 * decodes it would see a different path than the one the key check saw.
 */
export type Target = { path: string; search: string } | { error: string };

/** Percent-encoded dots, slashes and backslashes, and backslashes. */
export const HIDDEN_IN_PATH = /%2e|%2f|%5c|\\/i;

export function normaliseTarget(rawUrl: string): Target {
  if (!rawUrl.startsWith("/")) return { error: "request target must be an absolute path" };
  const queryAt = rawUrl.indexOf("?");
  const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const search = queryAt === -1 ? "" : rawUrl.slice(queryAt);
  if (HIDDEN_IN_PATH.test(rawPath)) return { error: "encoded dot segments, slashes and backslashes are not allowed in the path" };
  const out: string[] = [];
  for (const segment of rawPath.split("/").slice(1)) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (!out.length) return { error: "path climbs above the root" };
      out.pop();
      continue;
    }
    out.push(segment);
  }
  const trailing = rawPath.length > 1 && rawPath.endsWith("/") && out.length ? "/" : "";
  return { path: `/${out.join("/")}${trailing}`, search };
}
