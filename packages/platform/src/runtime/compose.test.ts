import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeDaemon, queueReachable } from "./compose.js";
import { createMetrics } from "./metrics.js";

describe("composeDaemon", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ database: false });
    await stack.provision({ queues: ["emailinput"], buckets: [] });
  });
  afterAll(async () => {
    await stack.close();
  });

  it("starts parts in order, reports ready, then stops them in reverse, closes clients last, once", async () => {
    const events: string[] = [];
    const part = (name: string) => ({
      start: async () => void events.push(`start ${name}`),
      stop: async () => void events.push(`stop ${name}`),
    });
    const daemon = composeDaemon({
      parts: [part("consumer"), part("poller")],
      health: {
        port: 0,
        host: "127.0.0.1",
        registry: createMetrics({ defaultMetrics: false }).registry,
        checks: { queue: queueReachable(stack.sqs, stack.prefix, "emailinput") },
      },
      close: [async () => void events.push("close db")],
    });
    await daemon.start();
    const ready = await fetch(`http://127.0.0.1:${daemon.httpPort}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { queue: true } });
    await Promise.all([daemon.stop(), daemon.stop()]);
    expect(events).toEqual(["start consumer", "start poller", "stop poller", "stop consumer", "close db"]);
  });

  it("is not ready when its queue does not exist", async () => {
    expect(await queueReachable(stack.sqs, stack.prefix, "nosuchqueue")().catch(() => false)).toBe(false);
  });
});
