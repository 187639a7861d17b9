// The small HTTP port every daemon opens: /healthz (the process runs), /readyz (its
// dependencies answer) and /metrics (Prometheus).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export type ReadinessCheck = () => Promise<boolean>;

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

export interface HealthServerOptions {
  port: number;
  host: string;
  registry: Registry;
  /** Named checks, e.g. `{ database: () => db.ping(), queues: () => … }`. */
  checks: Record<string, ReadinessCheck>;
  /** False once shutdown began, so a load balancer stops sending work. */
  isAccepting?: () => boolean;
  /** Further GET paths answered with the JSON their function returns (a daemon's own status page). */
  routes?: Record<string, () => Promise<unknown>>;
}

async function runChecks(checks: Record<string, ReadinessCheck>) {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      const ok = await Promise.race([
        check().catch(() => false),
        new Promise<boolean>((resolve) => setTimeout(resolve, 3000, false).unref()),
      ]);
      return [name, ok] as const;
    }),
  );
  return Object.fromEntries(entries);
}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const reply = (status: number, body: string, type = "application/json") => {
      response.writeHead(status, { "content-type": type });
      response.end(body);
    };
    if (path === "/healthz") {
      reply(200, JSON.stringify({ ok: true }));
    } else if (path === "/readyz") {
      runChecks(options.checks).then(
        (results) => {
          const accepting = options.isAccepting?.() ?? true;
          const ok = accepting && Object.values(results).every(Boolean);
          reply(ok ? 200 : 503, JSON.stringify({ ok, accepting, checks: results }));
        },
        () => reply(503, JSON.stringify({ ok: false })),
      );
    } else if (path === "/metrics") {
      options.registry.metrics().then(
        (text) => reply(200, text, options.registry.contentType),
        () => reply(500, "metrics unavailable", "text/plain"),
      );
    } else if (path !== undefined && options.routes && Object.hasOwn(options.routes, path)) {
      const route = options.routes[path] as () => Promise<unknown>;
      route().then(
        (body) => reply(200, JSON.stringify(body)),
        () => reply(500, JSON.stringify({ error: "unavailable" })),
      );
    } else {
      reply(404, JSON.stringify({ error: "not found" }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
