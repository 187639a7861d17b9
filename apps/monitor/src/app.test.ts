import { mkdir, readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { GetQueueUrlCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { createTestStack, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import {
  createMetrics,
  deadLetterQueueName,
  type HealthServer,
  physicalQueueName,
  startHealthServer,
} from "@isikhnas/platform";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MonitorApp, MonitorStatus } from "./app.js";
import { ADMINS, type MonitorFolder, monitorFolder, testMonitor, texts } from "./testing/monitor.js";

let stack: TestStack;
let folder: MonitorFolder;
const monitors: MonitorApp[] = [];
const servers: HealthServer[] = [];

beforeEach(async () => {
  stack = await createTestStack({ database: false });
  folder = await monitorFolder();
});

afterEach(async () => {
  for (const monitor of monitors.splice(0)) await monitor.stop();
  for (const server of servers.splice(0)) await server.close();
  await stack.close();
  await folder.remove();
});

async function start(
  ...args: Parameters<typeof testMonitor> extends [unknown, unknown, ...infer R] ? R : never
) {
  const monitor = testMonitor(stack, folder, ...args);
  monitors.push(monitor);
  await monitor.start();
  return monitor;
}

/** A daemon's health port, as every daemon opens it: up until closed. */
async function daemonPort(port = 0): Promise<HealthServer> {
  const server = await startHealthServer({
    port,
    host: "127.0.0.1",
    registry: createMetrics({ defaultMetrics: false }).registry,
    checks: { database: async () => true },
  });
  servers.push(server);
  return server;
}

async function stopDaemon(server: HealthServer) {
  servers.splice(servers.indexOf(server), 1);
  await server.close();
}

/** The monitor's status page, read the way `isikhnas monitor status` reads it. */
async function status(monitor: MonitorApp): Promise<MonitorStatus> {
  const response = await fetch(`http://127.0.0.1:${monitor.httpPort}/status`);
  expect(response.status).toBe(200);
  return (await response.json()) as MonitorStatus;
}

async function check(monitor: MonitorApp, name: string) {
  const found = (await status(monitor)).checks.find((entry) => entry.name === name);
  if (!found) throw new Error(`no check ${name}`);
  return found;
}

describe("readiness of the daemons", () => {
  it("texts each administrator once when daemons stop, naming both in one text, and once when they are back", async () => {
    const sender = await daemonPort();
    const gateway = await daemonPort();
    const monitor = await start({
      MONITOR_READYZ_URLS: `email-sender=http://127.0.0.1:${sender.port}/readyz,sms-gateway=http://127.0.0.1:${gateway.port}/readyz`,
    });
    await waitFor(async () => (await check(monitor, "readyz:sms-gateway")).ok, {
      description: "first round",
    });
    expect(await check(monitor, "readyz:email-sender")).toMatchObject({ ok: true, detail: "HTTP 200" });

    await stopDaemon(sender);
    await stopDaemon(gateway);
    const down = await waitFor(async () => {
      const written = await texts(folder.outbox);
      return written.length >= 2 && written;
    });
    expect(down.map((text) => text.to).sort()).toEqual([...ADMINS]);
    for (const text of down) {
      expect(text.text).toMatch(/^\[iSIKHNAS MONITOR\] DOWN: /);
      expect(text.text).toContain("readyz:email-sender #");
      expect(text.text).toContain("readyz:sms-gateway #");
    }
    // Many more failed rounds: still that one text each.
    await waitFor(async () => (await check(monitor, "readyz:sms-gateway")).consecutiveFailures >= 15, {
      description: "more failed rounds",
    });
    expect(await texts(folder.outbox)).toHaveLength(2);
    const open = (await status(monitor)).incidents;
    expect(open).toHaveLength(2);
    for (const incident of open) {
      expect(incident).toMatchObject({ resolvedAt: null, notifiedAt: expect.any(String) });
      expect(Date.parse(incident.openedAt)).not.toBeNaN();
    }

    await daemonPort(sender.port);
    await daemonPort(gateway.port);
    const recovered = await waitFor(async () => {
      const written = await texts(folder.outbox);
      return written.length >= 4 && written.slice(2);
    });
    for (const text of recovered) {
      expect(text.text).toMatch(/^\[iSIKHNAS MONITOR\] RECOVERED: /);
      expect(text.text).toContain("readyz:email-sender");
      expect(text.text).toContain("readyz:sms-gateway");
    }
    await waitFor(async () => (await check(monitor, "readyz:sms-gateway")).consecutiveFailures === 0 && true);
    const closed = (await status(monitor)).incidents;
    expect(closed.every((incident) => incident.resolvedAt !== null)).toBe(true);
    await waitFor(async () => (await status(monitor)).checks.every((entry) => entry.lastCheckedAt !== null));
    expect(await texts(folder.outbox)).toHaveLength(4);
  });

  it("does not open an incident for fewer failures in a row than configured", async () => {
    let ready = true;
    const flaky = await startHealthServer({
      port: 0,
      host: "127.0.0.1",
      registry: createMetrics({ defaultMetrics: false }).registry,
      checks: { database: async () => ready },
    });
    servers.push(flaky);
    const monitor = await start({
      MONITOR_READYZ_URLS: `http://127.0.0.1:${flaky.port}/readyz`,
      MONITOR_FAILURES_TO_OPEN: "100",
    });
    const name = `readyz:127.0.0.1:${flaky.port}`;
    await waitFor(async () => (await check(monitor, name)).ok);
    ready = false;
    await waitFor(async () => (await check(monitor, name)).consecutiveFailures >= 5);
    expect(await check(monitor, name)).toMatchObject({ ok: false, detail: "HTTP 503" });
    expect((await status(monitor)).incidents).toEqual([]);
    expect(await texts(folder.outbox)).toEqual([]);
  });
});

describe("queues", () => {
  it("a queue whose messages are not consumed, and dead letters, open incidents", async () => {
    await stack.provision({ queues: ["emailinput"], buckets: [] });
    const url = async (name: string) =>
      (await stack.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? "";
    // Held back: nothing consumes emailinput in this test.
    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: await url(physicalQueueName(stack.prefix, "emailinput")),
        MessageBody: "{}",
      }),
    );
    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: await url(deadLetterQueueName(stack.prefix, "emailinput")),
        MessageBody: "{}",
      }),
    );
    const monitor = await start({ MONITOR_QUEUES: "emailinput", MONITOR_QUEUE_MAX_AGE_SECONDS: "0.3" });

    const incidents = await waitFor(async () => {
      const current = (await status(monitor)).incidents;
      return current.length === 2 && current;
    });
    expect(incidents.map((incident) => incident.check).sort()).toEqual([
      "dead-letters:emailinput",
      "queue:emailinput",
    ]);
    expect(await check(monitor, "queue:emailinput")).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^1 waiting, the oldest for \d+ s \(limit 0.3 s\)/),
    });
    expect(await check(monitor, "dead-letters:emailinput")).toMatchObject({
      ok: false,
      detail: "1 dead letter(s)",
    });
    // The dead letter fails from the first round, the backlog once it is old enough: one
    // text each, or one for both when they open in the same round.
    const written = await waitFor(async () => {
      const current = (await texts(folder.outbox)).filter((text) => text.to === ADMINS[0]);
      const all = current.map((text) => text.text).join("\n");
      return all.includes("queue:emailinput") && all.includes("dead-letters:emailinput") && current;
    });
    expect(written.length).toBeLessThanOrEqual(2);
    for (const text of written) expect(text.text).toMatch(/^\[iSIKHNAS MONITOR\] DOWN: /);
  });

  it("a queue never seen empty whose messages are young stays healthy: the age is measured, not bounded", async () => {
    await stack.provision({ queues: ["emailinput"], buckets: [] });
    const url = (
      await stack.sqs.send(
        new GetQueueUrlCommand({ QueueName: physicalQueueName(stack.prefix, "emailinput") }),
      )
    ).QueueUrl;
    await stack.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "{}" }));
    // The monitor's clock runs ten minutes a round: a queue that is never empty looks older
    // and older by its depth alone, while the message itself was sent just now.
    const clock = () => {
      let rounds = 0;
      return () => new Date(Date.now() + 600_000 * rounds++);
    };
    const limit = { MONITOR_QUEUES: "emailinput", MONITOR_QUEUE_MAX_AGE_SECONDS: "900" };

    const bounded = await start({ ...limit, MONITOR_QUEUE_AGE_SOURCE: "none" }, { now: clock() });
    const failing = await waitFor(async () => {
      const current = await check(bounded, "queue:emailinput");
      return current.consecutiveFailures >= 1 && current;
    });
    expect(failing.detail).toMatch(/^1 waiting for up to \d+ s \(limit 900 s\)/);
    await bounded.stop();
    monitors.splice(monitors.indexOf(bounded), 1);

    const measured = await start({ ...limit, MONITOR_STORE_PATH: `${folder.storePath}.2` }, { now: clock() });
    const rounds = await waitFor(async () => {
      const current = await check(measured, "queue:emailinput");
      return (
        current.lastCheckedAt !== null &&
        new Date(current.lastCheckedAt).getTime() > Date.now() + 1_000_000 &&
        current
      );
    });
    expect(rounds).toMatchObject({ ok: true, consecutiveFailures: 0 });
    expect(rounds.detail).toMatch(/^1 waiting, the oldest for \d+ s \(limit 900 s\)/);
  });

  it("a queue that keeps being emptied stays healthy", async () => {
    await stack.provision({ queues: ["emailoutput"], buckets: [] });
    const monitor = await start({ MONITOR_QUEUES: "emailoutput", MONITOR_QUEUE_MAX_AGE_SECONDS: "0.3" });
    await waitFor(async () => (await check(monitor, "queue:emailoutput")).lastCheckedAt !== null);
    expect(await check(monitor, "queue:emailoutput")).toMatchObject({
      ok: true,
      detail: "empty (0 in flight)",
    });
    expect(await check(monitor, "dead-letters:emailoutput")).toMatchObject({ ok: true });
  });

  it("an unreachable SQS fails every queue check with the reason", async () => {
    const monitor = await start({
      MONITOR_QUEUES: "emailinput",
      AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:9/",
      AWS_CONNECT_TIMEOUT_MS: "200",
    });
    await waitFor(async () => (await check(monitor, "queue:emailinput")).consecutiveFailures >= 1);
    expect((await check(monitor, "queue:emailinput")).detail).toMatch(/^SQS: /);
  });
});

describe("the canary", () => {
  async function gatewaySpool() {
    const root = join(folder.root, "spool");
    for (const dir of ["incoming", "outgoing", "checked", "sent", "failed"])
      await mkdir(join(root, dir), { recursive: true });
    return root;
  }

  it("sends a query from the canary user; a reply missing past the deadline opens an incident", async () => {
    const spool = await gatewaySpool();
    const monitor = await start({
      MONITOR_CANARY_SPOOL_DIR: spool,
      MONITOR_CANARY_PHONE: "6289900000001",
      MONITOR_CANARY_DEADLINE_SECONDS: "0.5",
      MONITOR_CANARY_EVERY_SECONDS: "3600",
    });
    const dropped = await waitFor(async () => {
      const names = (await readdir(join(spool, "incoming"))).filter((name) => !name.startsWith("."));
      return names.length === 1 && names;
    });
    expect(await readFile(join(spool, "incoming", dropped[0] ?? ""), "latin1")).toBe(
      "From: 6289900000001\nAlphabet: ISO\n\nKODE PK",
    );
    expect((await check(monitor, "canary")).ok).toBe(true);

    const incident = await waitFor(async () =>
      (await status(monitor)).incidents.find((entry) => entry.check === "canary"),
    );
    expect(incident.detail).toMatch(/^no reply to "KODE PK" for \d+ s \(deadline 0.5 s\)$/);
    const written = await waitFor(async () => {
      const current = await texts(folder.outbox);
      return current.length === 2 && current;
    });
    expect(written[0]?.text).toContain("DOWN: canary #");

    // The reply arrives late (as the gateway writes it, then smsd moves it to sent/).
    await writeFile(join(spool, "sent", "GSM1.reply"), "To: 6289900000001\n\nKode PK: SB sembuh ...");
    await waitFor(async () => (await check(monitor, "canary")).ok);
    const recovered = await waitFor(async () => {
      const current = await texts(folder.outbox);
      return current.length === 4 && current;
    });
    expect(recovered[3]?.text).toContain("RECOVERED: canary #");
  });
});

describe("the store", () => {
  it("keeps an open incident across a restart: it is not texted again, and its recovery is texted once", async () => {
    const daemon = await daemonPort();
    await stopDaemon(daemon);
    const urls = { MONITOR_READYZ_URLS: `report-generator=http://127.0.0.1:${daemon.port}/readyz` };
    const first = await start(urls);
    const [incident] = await waitFor(async () => {
      const current = (await status(first)).incidents;
      return current[0]?.notifiedAt ? current : undefined;
    });
    expect(await texts(folder.outbox)).toHaveLength(2);
    await first.stop();

    const second = await start(urls);
    await waitFor(async () => (await check(second, "readyz:report-generator")).consecutiveFailures >= 15, {
      description: "rounds after the restart",
    });
    expect((await status(second)).incidents).toEqual([incident]);
    expect(await texts(folder.outbox)).toHaveLength(2);

    await daemonPort(daemon.port);
    await waitFor(async () => (await texts(folder.outbox)).length === 4);
    expect((await status(second)).incidents).toMatchObject([
      { id: incident?.id, resolvedAt: expect.any(String) },
    ]);
  });

  it("closes without a text the open incident of a check taken out of the configuration", async () => {
    const daemon = await daemonPort();
    await stopDaemon(daemon);
    const first = await start({ MONITOR_READYZ_URLS: `old-host=http://127.0.0.1:${daemon.port}/readyz` });
    await waitFor(async () => (await status(first)).incidents[0]?.notifiedAt);
    await first.stop();

    const second = await start({ MONITOR_QUEUES: "none", MONITOR_READYZ_URLS: "" });
    expect((await status(second)).incidents).toMatchObject([
      {
        check: "readyz:old-host",
        resolvedAt: expect.any(String),
        detail: expect.stringMatching(/no longer configured/),
      },
    ]);
    expect(await texts(folder.outbox)).toHaveLength(2);
  });

  it("reminds the administrators once a day while an incident lasts", async () => {
    let clock = Date.parse("2026-12-07T10:00:00Z");
    const daemon = await daemonPort();
    await stopDaemon(daemon);
    const monitor = await start(
      { MONITOR_READYZ_URLS: `sms-gateway=http://127.0.0.1:${daemon.port}/readyz` },
      { now: () => new Date(clock) },
    );
    await waitFor(async () => (await texts(folder.outbox)).length === 2);
    // Rounds run on the real timer; the clock only says what time they think it is.
    clock += 23 * 3_600_000;
    const before = (await check(monitor, "readyz:sms-gateway")).consecutiveFailures;
    await waitFor(async () => (await check(monitor, "readyz:sms-gateway")).consecutiveFailures >= before + 5);
    expect(await texts(folder.outbox)).toHaveLength(2);
    clock += 2 * 3_600_000;
    const reminded = await waitFor(async () => {
      const current = await texts(folder.outbox);
      return current.length === 4 && current;
    });
    expect(reminded[2]?.text).toMatch(/STILL DOWN: readyz:sms-gateway #\d+ for 25 h/);
  });
});

describe("the database and the modem", () => {
  it("fails the database check with the reason when PostgreSQL does not answer", async () => {
    const monitor = await start({ MONITOR_DATABASE_URL: "postgres://postgres@127.0.0.1:9/isikhnas" });
    await waitFor(async () => (await check(monitor, "postgres")).consecutiveFailures >= 1);
    expect((await check(monitor, "postgres")).detail).toMatch(/ECONNREFUSED/);
  });

  it("takes an smsd status file that stopped changing as a dead modem, and one rewritten as alive", async () => {
    const statusFile = join(folder.root, "status");
    await writeFile(statusFile, "GSM1:           r\n");
    const old = new Date(Date.now() - 3_600_000);
    await utimes(statusFile, old, old);
    const monitor = await start({
      MONITOR_MODEM_STATUS_FILE: statusFile,
      MONITOR_MODEM_MAX_AGE_SECONDS: "600",
    });
    const incident = await waitFor(async () =>
      (await status(monitor)).incidents.find((entry) => entry.check === "sms-modem"),
    );
    expect(incident.detail).toMatch(/^smsd's status file is 36\d\d s old \(limit 600 s\)$/);
    await writeFile(statusFile, "GSM1:           i\n");
    await waitFor(async () => (await check(monitor, "sms-modem")).ok);
    await waitFor(async () => (await status(monitor)).incidents[0]?.resolvedAt);
  });
});

describe("the webhook path", () => {
  it("posts the text and the administrators' phones, and tries again next round when it was refused", async () => {
    const posts: unknown[] = [];
    let refuse = true;
    const hook = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        response.writeHead(refuse ? 502 : 204).end();
        if (!refuse) posts.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        refuse = false;
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    try {
      const daemon = await daemonPort();
      await stopDaemon(daemon);
      const monitor = await start({
        MONITOR_READYZ_URLS: `im-bridge=http://127.0.0.1:${daemon.port}/readyz`,
        MONITOR_NOTIFY: "webhook",
        MONITOR_NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/sms`,
      });
      await waitFor(async () => (await status(monitor)).incidents[0]?.notifiedAt);
      expect(posts).toEqual([
        {
          to: [...ADMINS],
          text: expect.stringMatching(/^\[iSIKHNAS MONITOR\] DOWN: readyz:im-bridge #\d+ \(/),
        },
      ]);
      const metrics = await (await fetch(`http://127.0.0.1:${monitor.httpPort}/metrics`)).text();
      expect(metrics).toContain('monitor_notifications_total{path="webhook",outcome="failed"} 1');
      expect(metrics).toContain('monitor_notifications_total{path="webhook",outcome="sent"} 1');
    } finally {
      hook.closeAllConnections();
      await new Promise((resolve) => hook.close(resolve));
    }
  });
});
