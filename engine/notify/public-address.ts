/**
 * Webhook URLs are typed by administrators, so a delivery must not become a way into the group's own network:
 * unless private addresses are allowed (WEBHOOK_ALLOW_PRIVATE=true, as the local stack sets for its loopback
 * receivers), a webhook is sent only to public addresses. The check sits in the connection's own DNS lookup, so
 * the address checked is the address connected to (no second lookup for a rebinding name to change).
 */
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";

const NOT_PUBLIC = new net.BlockList();
for (const [prefix, bits] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24],
  ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) NOT_PUBLIC.addSubnet(prefix, bits, "ipv4");
for (const [prefix, bits] of [
  ["::", 128], ["::1", 128], ["64:ff9b::", 96], ["100::", 64], ["2001:db8::", 32], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8],
] as const) NOT_PUBLIC.addSubnet(prefix, bits, "ipv6");

export const NOT_PUBLIC_CODE = "address_not_public";

/** Whether an address (v4, v6, or v4 mapped into v6) is on the public internet. */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return !NOT_PUBLIC.check(mapped[1], "ipv4");
  const family = net.isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 4 ? "ipv4" : "ipv6");
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

function refused(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${NOT_PUBLIC_CODE}: ${hostname} does not resolve to a public address`), { code: NOT_PUBLIC_CODE });
}

/** dns.lookup that fails for names resolving to any address that is not public. */
function publicLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback) {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "");
    if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address))) return callback(refused(hostname), "");
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

export interface PostResult {
  status: number;
}

/** POSTs a body to a URL, connecting only to public addresses unless allowPrivate; the answer's body is read and dropped. */
export function postTo(url: string, headers: Record<string, string>, body: string, options: { allowPrivate: boolean; timeoutMs: number }): Promise<PostResult> {
  const target = new URL(url);
  const literal = target.hostname.replace(/^\[|\]$/g, "");
  if (!options.allowPrivate && net.isIP(literal) && !isPublicAddress(literal)) return Promise.reject(refused(literal));
  const send = target.protocol === "https:" ? https.request : http.request;
  return new Promise<PostResult>((resolve, reject) => {
    const req = send(target, {
      method: "POST",
      headers: { ...headers, "content-length": Buffer.byteLength(body) },
      lookup: options.allowPrivate ? undefined : (publicLookup as unknown as net.LookupFunction),
      // a connection per delivery: a receiver that closes an idle connection never fails the next attempt
      agent: false,
      signal: AbortSignal.timeout(options.timeoutMs),
    }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
