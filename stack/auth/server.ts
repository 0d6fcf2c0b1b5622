/**
 * Local stand-in for Supabase Auth (GoTrue): the subset of its HTTP API that supabase-js v2 uses.
 * Sits behind the gateway, which strips `/auth/v1`, checks the apikey and answers CORS.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AuthContext } from "./context.ts";
import { createPool } from "./db.ts";
import { HttpError, sendError } from "./errors.ts";
import { DEFAULT_MAX_BODY, sendJson } from "./http.ts";
import { Passwords } from "./passwords.ts";
import { SignInLimiter, type SignInLimit } from "./rate-limit.ts";
import { createUser, deleteUserRoute, getUserRoute, listUsersRoute, updateUserRoute } from "./routes-admin.ts";
import { getUser, logoutRoute, putUser, recover, signup, token } from "./routes-user.ts";
import { jwtKey } from "./tokens.ts";

export interface AuthServerOptions {
  port: number;
  host: string;
  databaseUrl: string;
  jwtSecret: string;
  jwtExpiry: number;
  issuer: string;
  /** Path prefix to serve under, e.g. "/auth/v1" when no gateway strips it. Default "". */
  basePath?: string;
  /** Seconds a revoked refresh token may still be used; the Supabase CLI uses 10. */
  refreshTokenReuseInterval?: number;
  /** Largest JSON body, in bytes; default 1 MiB. */
  maxBody?: number;
  /** Peers whose X-Forwarded-For is believed (the gateway); default none. */
  trustedProxies?: string[];
  /** GOTRUE_DISABLE_SIGNUP; default true. */
  disableSignup?: boolean;
  /** GOTRUE_MAILER_AUTOCONFIRM; default false. */
  mailerAutoconfirm?: boolean;
  /** Failed password sign-ins per email and per address; default 10 and 30 in 5 minutes. */
  signInLimit?: SignInLimit;
}

export interface AuthServer {
  port: number;
  close(): Promise<void>;
}

const settings = (ctx: AuthContext) => ({
  external: { email: true },
  disable_signup: ctx.disableSignup,
  mailer_autoconfirm: ctx.mailerAutoconfirm,
  phone_autoconfirm: false,
});

const HEALTH = { version: "local", name: "GoTrue", description: "GoTrue is a user registration and authentication API" };

type Handler = (ctx: AuthContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => Promise<void>;

const routes: Record<string, Handler> = {
  "POST /token": token,
  "POST /signup": signup,
  "GET /user": getUser,
  "PUT /user": putUser,
  "POST /logout": logoutRoute,
  "POST /recover": recover,
  "GET /admin/users": listUsersRoute,
  "POST /admin/users": createUser,
  "GET /settings": async (ctx, _req, res) => sendJson(res, 200, settings(ctx)),
  "GET /health": async (_ctx, _req, res) => sendJson(res, 200, HEALTH),
};

const userRoutes: Record<string, (ctx: AuthContext, req: IncomingMessage, res: ServerResponse, id: string) => Promise<void>> = {
  GET: getUserRoute,
  PUT: updateUserRoute,
  DELETE: deleteUserRoute,
};

/** A path segment with bad percent-encoding (`%zz`, a lone surrogate) is a 404, not a thrown URIError. */
function decodeSegment(segment: string) {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(404, "user_not_found", "User not found");
  }
}

async function dispatch(ctx: AuthContext, basePath: string, req: IncomingMessage, res: ServerResponse) {
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "http://local");
  } catch {
    throw new HttpError(400, "validation_failed", "Malformed request target");
  }
  let path = url.pathname;
  if (basePath) {
    if (path !== basePath && !path.startsWith(`${basePath}/`)) throw new HttpError(404, "not_found", "Not found");
    path = path.slice(basePath.length) || "/";
  }
  path = path.replace(/\/+$/, "") || "/";
  const method = req.method ?? "GET";

  const handler = routes[`${method} ${path}`];
  if (handler) return handler(ctx, req, res, url.searchParams);
  const userMatch = /^\/admin\/users\/([^/]+)$/.exec(path);
  if (userMatch && userRoutes[method]) return userRoutes[method](ctx, req, res, decodeSegment(userMatch[1]));
  if (userMatch || Object.keys(routes).some((key) => key.endsWith(` ${path}`))) {
    throw new HttpError(405, "method_not_allowed", "Method not allowed");
  }
  throw new HttpError(404, "not_found", "Not found");
}

export async function startAuthServer(opts: AuthServerOptions): Promise<AuthServer> {
  const db = createPool(opts.databaseUrl);
  const passwords = new Passwords();
  const ctx: AuthContext = {
    db,
    key: jwtKey(opts.jwtSecret),
    issuer: opts.issuer,
    jwtExpiry: opts.jwtExpiry,
    reuseIntervalMs: (opts.refreshTokenReuseInterval ?? 10) * 1000,
    adminRoles: ["service_role", "supabase_admin"],
    passwords,
    signInLimiter: new SignInLimiter(opts.signInLimit ?? { perEmail: 10, perIp: 30, windowSeconds: 300 }),
    maxBody: opts.maxBody ?? DEFAULT_MAX_BODY,
    trustedProxies: opts.trustedProxies ?? [],
    disableSignup: opts.disableSignup ?? true,
    mailerAutoconfirm: opts.mailerAutoconfirm ?? false,
  };
  const basePath = (opts.basePath ?? "").replace(/\/+$/, "");
  const server = http.createServer((req, res) => {
    dispatch(ctx, basePath, req, res).catch((error) => sendError(res, error));
  });
  try {
    await db.query("select 1 from auth.users limit 0");
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port, opts.host, () => resolve());
    });
  } catch (error) {
    await db.end();
    await passwords.close();
    throw error;
  }
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.end();
      await passwords.close();
    },
  };
}
