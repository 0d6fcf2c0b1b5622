/**
 * nginx in front of the Node gateway, as hosted Supabase puts Kong (nginx) in front of PostgREST: requests that
 * the Node gateway would pass unchanged to PostgREST (stack/gateway/nginx/fast-path.js decides) go straight
 * there, without a hop through Node; every other request (auth, unit keys, preflight, refusals) goes to the Node
 * gateway, which gives every answer. Used when nginx and its JavaScript module (Debian: nginx,
 * libnginx-mod-http-js) are installed, unless GATEWAY_NGINX=false; otherwise the Node gateway alone serves the port.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { JWT_AUDIENCE } from "./bearer.ts";
import { CORS_EXPOSED_HEADERS } from "./cors.ts";
import { HIDDEN_IN_PATH } from "./path.ts";

/** The header that carries the client's address from nginx to the Node gateway. */
export const FRONT_PEER_HEADER = "x-gateway-peer";

const FAST_PATH_SCRIPT = fileURLToPath(new URL("./nginx/fast-path.js", import.meta.url));
const NGINX_CANDIDATES = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/bin/nginx", "/opt/homebrew/bin/nginx"];
const MODULE_DIRS = ["/usr/lib/nginx/modules", "/usr/lib64/nginx/modules", "/usr/local/lib/nginx/modules", "/usr/share/nginx/modules"];
const JS_MODULE = "ngx_http_js_module.so";

export interface NginxFrontOptions {
  host: string;
  port: number;
  /** Where the Node gateway listens (on host). */
  nodePort: number;
  restPort: number;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  maxBodyRest: number;
  corsOrigins: readonly string[];
  trustedProxies: readonly string[];
  /** A folder of its own for the configuration, temporary files and logs (emptied at start). */
  dir: string;
}

export type NginxFront = { child: ChildProcess; stop(): Promise<void> };

/** nginx and its JavaScript module, or why the gateway runs without them. */
export function findNginx(): { bin: string; jsModule: string } | { missing: string } {
  if (process.env.GATEWAY_NGINX === "false") return { missing: "GATEWAY_NGINX=false" };
  const bin = process.env.NGINX_BIN ?? NGINX_CANDIDATES.find((candidate) => fs.existsSync(candidate));
  if (!bin) return { missing: "nginx is not installed" };
  const jsModule = process.env.NGINX_JS_MODULE ?? MODULE_DIRS.map((dir) => path.join(dir, JS_MODULE)).find((file) => fs.existsSync(file));
  if (!jsModule) return { missing: "nginx's JavaScript module (libnginx-mod-http-js) is not installed" };
  return { bin, jsModule };
}

/** CORS answers as nginx maps from the Origin header, as gateway/cors.ts gives them. */
function corsMaps(origins: readonly string[]) {
  const quoted = (value: string) => `"${value.replace(/["\\$]/g, "")}"`;
  const listed = origins.filter((origin) => origin !== "*");
  const fallback = origins.includes("*") ? '"*"' : '""';
  return `  map $http_origin $gateway_cors_origin {
    default ${fallback};
    "" "";
${listed.map((origin) => `    ${quoted(origin)} $http_origin;`).join("\n")}
  }
  map $http_origin $gateway_cors_credentials {
    default "";
${listed.map((origin) => `    ${quoted(origin)} "true";`).join("\n")}
  }
  map $gateway_cors_origin $gateway_cors_exposed {
    "" "";
    default ${quoted(CORS_EXPOSED_HEADERS)};
  }`;
}

function configuration(options: NginxFrontOptions, jsModule: string) {
  const { host, port, nodePort, restPort, dir } = options;
  const hopByHop = ["Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "TE", "Trailer", "Upgrade"]
    .map((name) => `    proxy_set_header ${name} "";`).join("\n");
  const asRoot = process.getuid?.() === 0 ? "user root;\n" : "";
  return `load_module ${jsModule};
${asRoot}daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
${["GW_ANON_KEY", "GW_SERVICE_KEY", "GW_JWT_SECRET", "GW_JWT_AUDIENCE", "GW_MAX_BODY_REST", "GW_HIDDEN_PATH", "GW_TRUSTED_PROXIES"].map((name) => `env ${name};`).join("\n")}
events { worker_connections 4096; }
http {
  access_log off;
  server_tokens off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  large_client_header_buffers 4 16k;
  client_body_buffer_size 1m;
  proxy_http_version 1.1;
  proxy_read_timeout 600s;
  proxy_send_timeout 600s;
  proxy_max_temp_file_size 0;
  proxy_pass_header Server;
  js_path ${path.dirname(FAST_PATH_SCRIPT)};
  js_import gateway from ${path.basename(FAST_PATH_SCRIPT)};
  js_set $gateway_fast gateway.fast;
  map $request_uri $gateway_rest_target { "~^/rest/v1(?<rest>/.*)$" $rest; }
${corsMaps(options.corsOrigins)}
  # Idle connections are dropped before the upstreams' own 5 s keep-alive timeout can close them under us.
  upstream rest { server ${host}:${restPort}; keepalive 64; keepalive_timeout 4s; }
  upstream node_gateway { server ${host}:${nodePort}; keepalive 64; keepalive_timeout 4s; }
  server {
    listen ${host}:${port};
    client_max_body_size 0;
    location @node {
      proxy_request_buffering off;
      proxy_buffering off;
      proxy_set_header Host $http_host;
      proxy_set_header ${FRONT_PEER_HEADER} $remote_addr;
      proxy_set_header Connection "";
      proxy_pass http://node_gateway$request_uri;
    }
    location @unavailable {
      default_type application/json;
      return 502 '{"message":"upstream unavailable"}';
    }
    location / {
      error_page 418 = @node;
      error_page 502 504 = @unavailable;
      if ($gateway_fast != "1") { return 418; }
      add_header Vary Origin always;
      add_header Access-Control-Allow-Origin $gateway_cors_origin always;
      add_header Access-Control-Allow-Credentials $gateway_cors_credentials always;
      add_header Access-Control-Expose-Headers $gateway_cors_exposed always;
      proxy_hide_header Access-Control-Allow-Origin;
      proxy_hide_header Access-Control-Allow-Credentials;
      proxy_set_header Host ${host}:${restPort};
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header ${FRONT_PEER_HEADER} "";
${hopByHop}
      proxy_pass http://rest$gateway_rest_target;
    }
  }
}
`;
}

function waitForPort(host: string, port: number, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  return new Promise<void>((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`nginx exited (${child.exitCode})`));
      const socket = net.connect(port, host);
      socket.once("connect", () => {
        socket.destroy();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nginx did not listen on ${host}:${port} within ${timeoutMs / 1000}s`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export async function startNginxFront(options: NginxFrontOptions, found: { bin: string; jsModule: string }, log: (line: string) => void): Promise<NginxFront> {
  fs.rmSync(options.dir, { recursive: true, force: true });
  fs.mkdirSync(options.dir, { recursive: true });
  const conf = path.join(options.dir, "nginx.conf");
  fs.writeFileSync(conf, configuration(options, found.jsModule));
  const env = {
    PATH: process.env.PATH,
    GW_ANON_KEY: options.anonKey,
    GW_SERVICE_KEY: options.serviceRoleKey,
    GW_JWT_SECRET: options.jwtSecret,
    GW_JWT_AUDIENCE: JWT_AUDIENCE,
    GW_MAX_BODY_REST: String(options.maxBodyRest),
    GW_HIDDEN_PATH: HIDDEN_IN_PATH.source,
    GW_TRUSTED_PROXIES: options.trustedProxies.join(","),
  };
  const args = ["-p", options.dir, "-c", conf, "-e", path.join(options.dir, "error.log")];
  const test = spawnSync(found.bin, [...args, "-t", "-q"], { env, encoding: "utf8" });
  if (test.status !== 0) throw new Error(`nginx refused its configuration: ${(test.stderr || test.stdout).trim()}`);
  const child = spawn(found.bin, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const forward = (data: Buffer) => data.toString().split("\n").filter(Boolean).forEach(log);
  child.stdout!.on("data", forward);
  child.stderr!.on("data", forward);
  await waitForPort(options.host, options.port, child, 10_000);
  return {
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
