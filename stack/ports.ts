import net from "node:net";

/** Resolves when the port is free on the host; rejects with a message naming the part that wanted it. */
export function assertPortFree(port: number, host: string, part: string) {
  return new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === "EADDRINUSE"
            ? `Port ${port} (${part}) is already in use. Stop whatever holds it or choose another port, ` +
                `e.g. ${part.toUpperCase().replace(/[^A-Z]/g, "_")}_PORT=<port> npm start.`
            : `Cannot listen on ${host}:${port} (${part}): ${error.message}`,
        ),
      );
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

export function listen(server: net.Server, port: number, host: string) {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** The first port from `from` (within 100) that is free on 127.0.0.1: benches start their own Postgres there. */
export async function firstFreePort(from: number): Promise<number> {
  for (let port = from; port < from + 100; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}..${from + 99}`);
}
