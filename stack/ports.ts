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
