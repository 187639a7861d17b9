import { afterEach, describe, expect, it } from "vitest";
import { type HealthServer, startHealthServer } from "./http.js";
import { createMetrics } from "./metrics.js";

describe("health server", () => {
  let server: HealthServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it("answers /healthz, /readyz with every check, and /metrics in Prometheus format", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.received.inc({ queue: "emailinput" }, 3);
    let databaseUp = true;
    let accepting = true;
    server = await startHealthServer({
      port: 0,
      host: "127.0.0.1",
      registry: metrics.registry,
      checks: { database: async () => databaseUp, queues: async () => true },
      isAccepting: () => accepting,
    });
    const base = `http://127.0.0.1:${server.port}`;

    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      ok: true,
      accepting: true,
      checks: { database: true, queues: true },
    });

    databaseUp = false;
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ ok: false, checks: { database: false } });

    databaseUp = true;
    accepting = false;
    expect((await fetch(`${base}/readyz`)).status).toBe(503);

    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('messages_received_total{queue="emailinput"} 3');
    expect(text).toContain("handler_duration_seconds");

    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });

  it("treats a check that throws as not ready", async () => {
    server = await startHealthServer({
      port: 0,
      host: "127.0.0.1",
      registry: createMetrics({ defaultMetrics: false }).registry,
      checks: {
        broken: async () => {
          throw new Error("connection refused");
        },
      },
    });
    const response = await fetch(`http://127.0.0.1:${server.port}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ checks: { broken: false } });
  });

  it("answers a daemon's own routes with their JSON, and 500 when one fails", async () => {
    let broken = false;
    server = await startHealthServer({
      port: 0,
      host: "127.0.0.1",
      registry: createMetrics({ defaultMetrics: false }).registry,
      checks: {},
      routes: {
        "/status": async () => {
          if (broken) throw new Error("store closed");
          return { checks: [{ name: "postgres", ok: true }] };
        },
      },
    });
    const base = `http://127.0.0.1:${server.port}`;
    const status = await fetch(`${base}/status?x=1`);
    expect(status.status).toBe(200);
    expect(await status.json()).toEqual({ checks: [{ name: "postgres", ok: true }] });
    broken = true;
    expect((await fetch(`${base}/status`)).status).toBe(500);
    expect((await fetch(`${base}/toString`)).status).toBe(404);
  });
});
