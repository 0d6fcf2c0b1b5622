import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPublicAddress, NOT_PUBLIC_CODE, postTo } from "./public-address.ts";

describe("webhook addresses", () => {
  it.each([
    ["127.0.0.1", false], ["10.1.2.3", false], ["172.16.0.1", false], ["172.31.255.255", false], ["192.168.1.1", false],
    ["169.254.169.254", false], ["100.64.0.1", false], ["0.0.0.0", false], ["224.0.0.1", false], ["::1", false], ["::", false],
    ["fd00::1", false], ["fe80::1", false], ["::ffff:127.0.0.1", false], ["::ffff:10.0.0.1", false], ["not-an-address", false],
    ["8.8.8.8", true], ["172.32.0.1", true], ["114.114.114.114", true], ["2400:3200::1", true], ["::ffff:8.8.8.8", true],
  ])("%s is public: %s", (address, expected) => expect(isPublicAddress(address)).toBe(expected));

  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("refuses a private address, written out or behind a name, before connecting", async () => {
    for (const url of [`http://127.0.0.1:${port}/hook`, `http://localhost:${port}/hook`, `http://[::1]:${port}/hook`]) {
      await expect(postTo(url, {}, "{}", { allowPrivate: false, timeoutMs: 2000 })).rejects.toThrow(NOT_PUBLIC_CODE);
    }
    expect(hits).toBe(0);
  });

  it("posts to a private address when allowed", async () => {
    expect(await postTo(`http://localhost:${port}/hook`, { "content-type": "application/json" }, "{}", { allowPrivate: true, timeoutMs: 2000 })).toEqual({ status: 204 });
    expect(hits).toBe(1);
  });
});
