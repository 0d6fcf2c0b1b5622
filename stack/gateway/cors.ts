/**
 * CORS with an allow-list: an allowed Origin is echoed with credentials; any other origin gets no
 * Access-Control-Allow-* header, so a browser keeps the response from that page. "*" in the list
 * allows every origin without credentials.
 */
import type http from "node:http";

export const CORS_EXPOSED_HEADERS = "Content-Range, Content-Profile, X-Total-Count, Link, X-Supabase-Api-Version, x-sb-error-code";

export function corsHeaders(origins: readonly string[]) {
  const allowed = new Set(origins);
  const any = allowed.has("*");
  return (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    res.setHeader("Vary", "Origin");
    const origin = req.headers.origin;
    if (!origin) return false;
    if (allowed.has(origin)) {
      res.setHeader("Access-Control-Allow-Origin", origin);
      res.setHeader("Access-Control-Allow-Credentials", "true");
    } else if (any) {
      res.setHeader("Access-Control-Allow-Origin", "*");
    } else {
      return false;
    }
    res.setHeader("Access-Control-Expose-Headers", CORS_EXPOSED_HEADERS);
    return true;
  };
}
