// `isikhnas console` as operators run it: a real process on the test stack that prints
// its address, serves the login and the pages, and exits cleanly on SIGTERM.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, PASSWORD } from "../testing/console.js";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

describe("isikhnas console", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack();
    await stack.provision();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("starts from the command line, serves its pages behind the login, and stops on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "apps/ops-cli/src/main.ts", "console", "--port", "0"],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, ...stack.env, CONSOLE_PASSWORD: PASSWORD },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const exited = once(child, "exit");
    try {
      const lines = createInterface({ input: child.stdout });
      let base: string | undefined;
      for await (const line of lines) {
        base = /^ops console on (http:\/\/127\.0\.0\.1:\d+)\/ /.exec(line)?.[1];
        if (base) break;
      }
      if (!base) throw new Error("the console printed no address");
      const cookie = await login(base);
      const queues = await (await fetch(`${base}/queues`, { headers: { cookie } })).text();
      expect(queues).toContain('data-queue="emailinput"');
      expect(queues).not.toContain("Could not read this");
    } finally {
      child.kill("SIGTERM");
    }
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });
});
