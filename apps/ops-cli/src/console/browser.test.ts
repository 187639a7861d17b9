// The console in a real browser (Debian's chromium, headless, driven by playwright-core)
// against the test stack: log in, read the queues, redrive a real dead letter, see a
// sender's <script> as text, and the monitor's incidents. Screenshots go to
// apps/ops-cli/test-output/.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { createTestStack, type TestStack, waitFor } from "@isikhnas/devstack/testing";
import { DEAD_LETTER_REASON, deadLetterQueueUrl, queueStats, queueUrl } from "@isikhnas/platform";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeMonitor, PASSWORD, startFakeMonitor, startTestConsole } from "../testing/console.js";
import type { RunningConsole } from "./server.js";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available) {
  console.warn(`skipping the console's browser tests: ${CHROMIUM} is missing (apt-get install chromium)`);
}

const OUTPUT = fileURLToPath(new URL("../../test-output/", import.meta.url));
const SCRIPT_TEXT = "U mc,dm sp 4 <script>window.__injected = true</script>";

describe.skipIf(!available)("ops console in chromium", () => {
  let stack: TestStack;
  let running: RunningConsole;
  let monitor: FakeMonitor;
  let daemon: ReturnType<typeof createServer>;
  let browser: Browser;
  let page: Page;

  async function screenshot(name: string) {
    const path = join(OUTPUT, `console-${name}.png`);
    await page.screenshot({ path, fullPage: true });
    console.log(`screenshot: ${path}`);
  }

  beforeAll(async () => {
    await mkdir(OUTPUT, { recursive: true });
    stack = await createTestStack();
    await stack.provision();
    const db = stack.openDatabase();
    const inbound = await db.query<{ id: string }>(
      `INSERT INTO inbound_messages (channel, sender, text, received_at, external_id, status)
       VALUES ('sms', '6281100000007', $1, now(), 'GSM1.browser-test', 'rejected') RETURNING id`,
      [SCRIPT_TEXT],
    );
    await db.query(
      `INSERT INTO outbound_messages (channel, address, body, kind, status, inbound_message_id, sent_at)
       VALUES ('sms', '6281100000007', '[iSIKHNAS] Tanda klinis tidak dikenal', 'reply', 'sent', $1, now())`,
      [inbound.rows[0]?.id],
    );
    monitor = await startFakeMonitor({
      checks: [
        {
          name: "readyz:excel-processor",
          ok: false,
          lastCheckedAt: new Date().toISOString(),
          consecutiveFailures: 3,
          detail: "HTTP 503",
        },
        {
          name: "queue-age:emailinput",
          ok: true,
          lastCheckedAt: new Date().toISOString(),
          consecutiveFailures: 0,
        },
      ],
      incidents: [
        {
          id: 12,
          check: "readyz:excel-processor",
          openedAt: new Date(Date.now() - 90_000).toISOString(),
          resolvedAt: null,
          detail: "503 three times in a row",
          notifiedAt: new Date(Date.now() - 89_000).toISOString(),
        },
      ],
    });
    // One daemon that answers /readyz; the other URL has nothing listening.
    daemon = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" }).end("ready");
    });
    await new Promise<void>((resolve) => daemon.listen(0, "127.0.0.1", resolve));
    const daemonPort = (daemon.address() as AddressInfo).port;
    running = await startTestConsole(stack, {
      monitorStatusUrl: monitor.url,
      daemons: [
        { name: "email-sender", url: `http://127.0.0.1:${daemonPort}` },
        { name: "excel-processor", url: "http://127.0.0.1:9" },
      ],
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // The redrive asks before it moves anything.
    page.on("dialog", (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await monitor?.close();
    daemon?.closeAllConnections();
    await new Promise<void>((resolve) => (daemon ? daemon.close(() => resolve()) : resolve()));
    await stack?.close();
  });

  it("refuses a wrong password, then logs in and shows the queue depths", async () => {
    await page.goto(`${running.url}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.fill('input[name="password"]', "wrong password");
    await page.click('button[type="submit"]');
    await page.getByRole("alert").filter({ hasText: "Wrong password." }).waitFor();
    await screenshot("login-refused");

    const url = await queueUrl(stack.sqs, stack.prefix, "emailinput");
    await stack.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"kind":"waiting"}' }));
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${running.url}/queues`);
    const row = page.locator('tr[data-queue="emailinput"]');
    // The page is rendered once per request: the message was sent before it.
    expect(await row.locator("td.depth").textContent()).toBe("1");
    expect(await row.locator("td.age").textContent()).toMatch(/^\d+ s$/);
    await screenshot("queues");
  });

  it("shows a real dead letter with its reason, redrives it, and it is back on its queue", async () => {
    const dlq = await deadLetterQueueUrl(stack.sqs, stack.prefix, "emailoutput");
    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: dlq,
        MessageBody: '{"version":1,"kind":"broken"}',
        MessageAttributes: {
          [DEAD_LETTER_REASON]: { DataType: "String", StringValue: "schema: missing field recipients" },
        },
      }),
    );
    await page.goto(`${running.url}/dead-letters`);
    const section = page.locator('section[data-queue="emailoutput"]');
    await section.locator("td.reason", { hasText: "schema: missing field recipients" }).waitFor();
    await screenshot("dead-letters");

    await section.getByRole("button", { name: "Redrive emailoutput" }).click();
    await page.getByRole("status").filter({ hasText: "Moved 1 message(s) back to emailoutput." }).waitFor();
    await screenshot("redriven");

    const [stats] = await queueStats(stack.sqs, stack.prefix, ["emailoutput"]);
    expect(stats).toMatchObject({ depth: 1, deadLetterDepth: 0 });
    const source = await queueUrl(stack.sqs, stack.prefix, "emailoutput");
    const back = await waitFor(async () => {
      const received = await stack.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: source, MessageAttributeNames: ["All"], WaitTimeSeconds: 1 }),
      );
      return received.Messages?.[0];
    });
    expect(back.Body).toBe('{"version":1,"kind":"broken"}');
    // Back on its queue without the old verdict.
    expect(back.MessageAttributes?.[DEAD_LETTER_REASON]).toBeUndefined();
  });

  it("shows an inbound SMS holding <script> as text, masked sender, with its reply", async () => {
    await page.goto(`${running.url}/messages`);
    const row = page.locator("#sms tr.message").first();
    expect(await row.locator("td.text").textContent()).toBe(SCRIPT_TEXT);
    expect(await page.evaluate(() => (globalThis as { __injected?: boolean }).__injected)).toBeUndefined();
    expect(await row.textContent()).toContain("62811*****007");
    expect(await row.textContent()).not.toContain("6281100000007");
    expect(await row.locator("td.reply").textContent()).toContain("[iSIKHNAS] Tanda klinis tidak dikenal");
    await screenshot("messages");
  });

  it("shows the monitor's incidents and checks, and each daemon's readiness", async () => {
    await page.goto(`${running.url}/monitor`);
    await page
      .locator("#monitor-state", { hasText: "1 open incident(s); 1 of 2 check(s) failing" })
      .waitFor();
    expect(await page.locator("#incidents").textContent()).toContain("503 three times in a row");
    await screenshot("monitor");

    await page.goto(`${running.url}/daemons`);
    const table = page.locator("#daemons");
    expect(await table.locator("tr.ok").textContent()).toContain("email-sender");
    expect(await table.locator("tr.down").textContent()).toMatch(
      /excel-processor[\s\S]*NOT READY[\s\S]*unreachable/,
    );
    await screenshot("daemons");

    for (const [path, name] of [
      ["/in-doubt", "in-doubt"],
      ["/reports", "reports"],
    ] as const) {
      await page.goto(`${running.url}${path}`);
      await page.locator("h1").waitFor();
      await screenshot(name);
    }
  });
});
