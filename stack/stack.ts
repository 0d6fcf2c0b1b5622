/**
 * Starts the whole local stack in order: Postgres → bootstrap/migrations/seed → PostgREST → auth →
 * gateway → the rules engine (a child process, restarted when it dies) → (optionally) the Vite app. Any
 * other part dying stops the rest and shows its last log lines.
 */
import type { ChildProcess } from "node:child_process";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { apiKeys, appUrl, authIssuer, config, corsOrigins, gatewayUrl, mailInboxUrl, superuserUrl, type Keys } from "./config.ts";
import { startMailCatcher } from "./mail-catcher.ts";
import { startAppServer } from "./app-server.ts";
import { startAuthServer } from "./auth/server.ts";
import { startEngineProcess } from "./engine-process.ts";
import { createGateway } from "./gateway.ts";
import { findNginx, FRONT_PEER_HEADER, startNginxFront } from "./gateway/nginx-front.ts";
import { PartLogs } from "./logs.ts";
import { prepareDatabase } from "./migrate.ts";
import { assertPortFree, listen } from "./ports.ts";
import { startPostgres } from "./postgres.ts";
import { startPostgrest, waitForPostgrest } from "./postgrest.ts";

export interface StackOptions {
  app: boolean;
  verbose?: boolean;
  say?: (line: string) => void;
}

export interface RunningStack {
  keys: Keys;
  gatewayUrl: string;
  appUrl?: string;
  /** The mail catcher's web inbox (when it runs). */
  mailInboxUrl?: string;
  databaseUrl: string;
  applied: string[];
  /** True when this start seeded the demo data (a fresh database). */
  seeded: boolean;
  stop(): Promise<void>;
  /** Resolves with a message when a part dies on its own. */
  died: Promise<string>;
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const say = options.say ?? console.log;
  const logs = new PartLogs(options.verbose ?? false);
  const ports: [number, string][] = [
    [config.dbPort, "db"],
    [config.restPort, "rest"],
    [config.restPort + 1000, "rest admin"],
    [config.authPort, "auth"],
    [config.gatewayPort, "gateway"],
  ];
  if (options.app) ports.push([config.appPort, "app"]);
  if (config.mailCatcher) ports.push([config.mailSmtpPort, "mail smtp"], [config.mailWebPort, "mail web"]);
  for (const [port, part] of ports) await assertPortFree(port, config.host, part);

  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  let onDeath: (message: string) => void = () => {};
  const died = new Promise<string>((resolve) => (onDeath = resolve));
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const fn of stops.reverse()) await fn().catch(() => {});
  };
  const watchChild = (child: ChildProcess, part: string) =>
    child.once("exit", (code, signal) => {
      if (!stopping) onDeath(`${part} exited (${signal ?? code}). Last lines:\n${logs.tail(part)}`);
    });

  try {
    const { pg, firstRun } = await startPostgres(logs.logger("db"));
    stops.push(() => pg.stop());
    const pgProcess = (pg as unknown as { process?: ChildProcess }).process;
    if (pgProcess) watchChild(pgProcess, "db");
    say(firstRun ? "Postgres initialised (first run)" : "Postgres started with existing data");

    const { applied, seeded } = await prepareDatabase(superuserUrl(), { seed: true, log: say });
    say(applied.length ? `applied ${applied.length} migration(s)` : "database up to date, no migration applied");
    if (seeded) say("demo data seeded");

    const rest = startPostgrest(logs.logger("rest"));
    stops.push(async () => {
      rest.kill("SIGTERM");
    });
    watchChild(rest, "rest");
    await waitForPostgrest();

    const auth = await startAuthServer({
      host: config.host,
      port: config.authPort,
      databaseUrl:
        `postgres://supabase_auth_admin:${encodeURIComponent(config.authAdminPassword)}` +
        `@${config.host}:${config.dbPort}/${config.database}`,
      jwtSecret: config.jwtSecret,
      jwtExpiry: config.jwtExpiry,
      issuer: authIssuer(),
      maxBody: config.maxBody.auth,
      // Only the gateway talks to auth; it replaces a client's X-Forwarded-For with the peer address.
      trustedProxies: [config.host],
      disableSignup: config.disableSignup,
      mailerAutoconfirm: config.mailerAutoconfirm,
      signInLimit: config.signInLimit,
    });
    stops.push(() => auth.close());

    const keys = await apiKeys();
    const nginx = findNginx();
    const gateway: http.Server = createGateway(keys, {
      rest: `http://${config.host}:${config.restPort}`,
      auth: `http://${config.host}:${config.authPort}`,
    }, {
      jwtSecret: config.jwtSecret,
      corsOrigins: corsOrigins(),
      maxBody: config.maxBody,
      trustedProxies: config.trustedProxies,
      frontPeerHeader: "missing" in nginx ? undefined : FRONT_PEER_HEADER,
      unitKeyRate: {
        perSecond: Number(process.env.UNIT_KEY_RATE_PER_SECOND ?? 20),
        burst: Number(process.env.UNIT_KEY_BURST ?? 40),
      },
    });
    // Behind nginx the Node gateway listens on a port of the system's choosing, on the loopback host only.
    await listen(gateway, "missing" in nginx ? config.gatewayPort : 0, config.host);
    stops.push(
      () =>
        new Promise<void>((r) => {
          gateway.close(() => r());
          gateway.closeAllConnections();
        }),
    );
    if ("missing" in nginx) {
      say(`gateway: Node only (${nginx.missing}; install nginx and libnginx-mod-http-js for the fast path)`);
    } else {
      const front = await startNginxFront({
        host: config.host,
        port: config.gatewayPort,
        nodePort: (gateway.address() as AddressInfo).port,
        restPort: config.restPort,
        anonKey: keys.anonKey,
        serviceRoleKey: keys.serviceRoleKey,
        jwtSecret: config.jwtSecret,
        maxBodyRest: config.maxBody.rest,
        corsOrigins: corsOrigins(),
        trustedProxies: config.trustedProxies,
        dir: `${config.dataDir}-gateway`,
      }, nginx, logs.logger("gateway"));
      stops.push(() => front.stop());
      watchChild(front.child, "gateway");
      say("gateway: nginx in front of the Node gateway");
    }
    // A real SMTP server with a web inbox; the engine sends there unless SMTP_HOST names a real server.
    let inbox: string | undefined;
    const mailEnv: Record<string, string> = {};
    if (config.mailCatcher) {
      const catcher = await startMailCatcher(config.host, config.mailSmtpPort, config.mailWebPort);
      stops.push(() => catcher.stop());
      inbox = mailInboxUrl();
      if (!process.env.SMTP_HOST) Object.assign(mailEnv, { SMTP_HOST: config.host, SMTP_PORT: String(config.mailSmtpPort), SMTP_SECURE: "false" });
      say(`mail catcher: SMTP ${config.host}:${config.mailSmtpPort}, inbox ${inbox}`);
    }
    // In a process of its own: a runaway rule cannot take the gateway, auth or app down with it.
    const engineLog = logs.logger("engine");
    const engine = await startEngineProcess({
      databaseUrl: superuserUrl(),
      // Local receivers (loopback) may take webhooks unless WEBHOOK_ALLOW_PRIVATE=false; a hosted engine sends to public addresses only.
      env: { ...mailEnv, WEBHOOK_ALLOW_PRIVATE: process.env.WEBHOOK_ALLOW_PRIVATE ?? "true" },
      log: engineLog,
      verbose: options.verbose,
      onRestart: (message) => {
        engineLog(message);
        say(message);
      },
    });
    stops.push(() => engine.stop());

    let app: string | undefined;
    if (options.app) {
      process.env.SUPABASE_URL = gatewayUrl();
      process.env.SUPABASE_ANON_KEY = keys.anonKey;
      const vite = await startAppServer(options.verbose ?? false);
      stops.push(() => vite.close());
      app = appUrl();
    }
    return { keys, gatewayUrl: gatewayUrl(), appUrl: app, mailInboxUrl: inbox, databaseUrl: superuserUrl(), applied, seeded, stop, died };
  } catch (error) {
    await stop();
    throw error;
  }
}
