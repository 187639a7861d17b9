// The console's routes by plain fetch against the test stack: the login and its limit,
// CSRF refusals, escaping of what senders typed, read-only pages, the bind address.
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import {
  type Database,
  DEAD_LETTER_REASON,
  deadLetterQueueUrl,
  queueStats,
  queueUrl,
} from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProgram } from "../program.js";
import {
  csrfOf,
  login,
  PASSWORD,
  postForm,
  setCookie,
  startFakeMonitor,
  startTestConsole,
  tryLogin,
} from "../testing/console.js";
import type { RunningConsole } from "./server.js";

const SCRIPT_TEXT = `U mc,dm sp 4 <script>document.title="pwned"</script> & "quoted"`;

describe("ops console routes", () => {
  let stack: TestStack;
  let db: Database;
  let running: RunningConsole;

  beforeAll(async () => {
    stack = await createTestStack();
    await stack.provision();
    db = stack.openDatabase();
    const inbound = await db.query<{ id: string }>(
      `INSERT INTO inbound_messages (channel, sender, text, received_at, external_id, status)
       VALUES ('sms', '6281234567890', $1, now(), 'GSM1.console-test', 'rejected') RETURNING id`,
      [SCRIPT_TEXT],
    );
    await db.query(
      `INSERT INTO outbound_messages (channel, address, body, kind, status, inbound_message_id)
       VALUES ('sms', '6281234567890', '[iSIKHNAS] <b>Format</b> salah', 'reply', 'sent', $1)`,
      [inbound.rows[0]?.id],
    );
    running = await startTestConsole(stack);
  });
  afterAll(async () => {
    await running?.close();
    await stack?.close();
  });

  it("sends a visitor without a session to the login, and refuses a wrong password", async () => {
    const anonymous = await fetch(`${running.url}/queues`, { redirect: "manual" });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe("/login");

    const wrong = await tryLogin(running.url, "not the password");
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("Wrong password.");
    expect(setCookie(wrong, "isikhnas_console")).toBeUndefined();

    const right = await tryLogin(running.url, PASSWORD);
    expect(right.status).toBe(303);
    const session = setCookie(right, "isikhnas_console");
    expect(session?.header).toMatch(/HttpOnly/);
    expect(session?.header).toMatch(/SameSite=Strict/);
    const page = await fetch(`${running.url}/queues`, {
      headers: { cookie: `isikhnas_console=${session?.value}` },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await page.text()).toContain('data-queue="emailinput"');

    // A cookie whose signature does not match is no session.
    const forged = `isikhnas_console=${session?.value.split(".")[0]}.AAAA`;
    const refused = await fetch(`${running.url}/queues`, { headers: { cookie: forged }, redirect: "manual" });
    expect(refused.status).toBe(303);
  });

  it("refuses a login post without the form's token", async () => {
    const response = await postForm(`${running.url}/login`, { password: PASSWORD }, "");
    expect(response.status).toBe(403);
    expect(setCookie(response, "isikhnas_console")).toBeUndefined();
  });

  it("stops taking logins from a client after too many failures, even the right password", async ({
    onTestFinished,
  }) => {
    const limited = await startTestConsole(stack, { maxLoginFailures: 2 });
    onTestFinished(() => limited.close());
    expect((await tryLogin(limited.url, "guess one")).status).toBe(401);
    expect((await tryLogin(limited.url, "guess two")).status).toBe(401);
    const blocked = await tryLogin(limited.url, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(setCookie(blocked, "isikhnas_console")).toBeUndefined();
  });

  it("refuses a redrive without the session's CSRF token and leaves the dead letter where it is", async () => {
    const cookie = await login(running.url);
    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: await deadLetterQueueUrl(stack.sqs, stack.prefix, "reportrequest"),
        MessageBody: '{"kind":"csrf-test"}',
        MessageAttributes: { [DEAD_LETTER_REASON]: { DataType: "String", StringValue: "schema: bad" } },
      }),
    );
    const missing = await postForm(`${running.url}/dead-letters/redrive`, { queue: "reportrequest" }, cookie);
    expect(missing.status).toBe(403);
    const wrong = await postForm(
      `${running.url}/dead-letters/redrive`,
      { queue: "reportrequest", _csrf: "x".repeat(43) },
      cookie,
    );
    expect(wrong.status).toBe(403);
    // Another session's token is no good either.
    const other = await login(running.url);
    const otherToken = csrfOf(
      await (await fetch(`${running.url}/queues`, { headers: { cookie: other } })).text(),
    );
    const crossed = await postForm(
      `${running.url}/dead-letters/redrive`,
      { queue: "reportrequest", _csrf: otherToken },
      cookie,
    );
    expect(crossed.status).toBe(403);
    const [stats] = await queueStats(stack.sqs, stack.prefix, ["reportrequest"]);
    expect(stats).toMatchObject({ depth: 0, deadLetterDepth: 1 });

    // With its token the same post moves it and says so.
    const token = csrfOf(await (await fetch(`${running.url}/dead-letters`, { headers: { cookie } })).text());
    const done = await postForm(
      `${running.url}/dead-letters/redrive`,
      { queue: "reportrequest", _csrf: token },
      cookie,
    );
    expect(done.status).toBe(303);
    const outcome = await fetch(new URL(done.headers.get("location") ?? "", running.url), {
      headers: { cookie },
    });
    expect(await outcome.text()).toContain("Moved 1 message(s) back to reportrequest.");
    const [after] = await queueStats(stack.sqs, stack.prefix, ["reportrequest"]);
    expect(after).toMatchObject({ depth: 1, deadLetterDepth: 0 });
  });

  it("shows what senders typed as text, masked, never as markup", async () => {
    const cookie = await login(running.url);
    const page = await (await fetch(`${running.url}/messages`, { headers: { cookie } })).text();
    expect(page).toContain(
      "U mc,dm sp 4 &lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt; &amp; &quot;quoted&quot;",
    );
    expect(page).not.toContain("<script>document.title");
    expect(page).toContain("[iSIKHNAS] &lt;b&gt;Format&lt;/b&gt; salah");
    expect(page).toContain("62812*****890");
    expect(page).not.toContain("6281234567890");

    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: await deadLetterQueueUrl(stack.sqs, stack.prefix, "mailinbound"),
        MessageBody: '{"from":"budi.santoso@example.id","note":"</code><script>alert(1)</script>"}',
      }),
    );
    const letters = await (await fetch(`${running.url}/dead-letters`, { headers: { cookie } })).text();
    expect(letters).toContain("b***@example.id");
    expect(letters).not.toContain("budi.santoso@example.id");
    expect(letters).toContain("&lt;/code&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("reads without receiving: a queue's message keeps its receive count after every page is shown", async () => {
    const cookie = await login(running.url);
    const url = await queueUrl(stack.sqs, stack.prefix, "emailinput");
    await stack.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"kind":"read-only"}' }));
    const queues = await (await fetch(`${running.url}/queues`, { headers: { cookie } })).text();
    // The oldest message's age is shown (the emulator's inspection, not a receive).
    expect(queues).toMatch(/data-queue="emailinput">[\s\S]*?<td class="num age">\d+ s<\/td>/);
    for (const path of [
      "/queues",
      "/dead-letters",
      "/in-doubt",
      "/messages",
      "/reports",
      "/daemons",
      "/monitor",
    ]) {
      const response = await fetch(`${running.url}${path}`, { headers: { cookie } });
      expect(response.status, path).toBe(200);
    }
    const received = await stack.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 1,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
    );
    expect(received.Messages?.[0]?.Body).toBe('{"kind":"read-only"}');
    expect(received.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe("1");
  });

  it("says when the monitor is not set or cannot be reached, and shows its incidents when it can", async ({
    onTestFinished,
  }) => {
    const cookie = await login(running.url);
    expect(await (await fetch(`${running.url}/monitor`, { headers: { cookie } })).text()).toContain(
      "No monitor configured",
    );

    const unreachable = await startTestConsole(stack, { monitorStatusUrl: "http://127.0.0.1:9/status" });
    onTestFinished(() => unreachable.close());
    const down = await (
      await fetch(`${unreachable.url}/monitor`, { headers: { cookie: await login(unreachable.url) } })
    ).text();
    expect(down).toContain("The monitor at http://127.0.0.1:9/status could not be read");

    const monitor = await startFakeMonitor({
      checks: [
        {
          name: "readyz:email-sender",
          ok: false,
          lastCheckedAt: "2026-12-07T10:00:00Z",
          consecutiveFailures: 4,
          detail: "<img src=x onerror=alert(1)>",
        },
      ],
      incidents: [
        {
          id: 7,
          check: "readyz:email-sender",
          openedAt: "2026-12-07T09:58:30Z",
          resolvedAt: null,
          detail: "connection refused",
          notifiedAt: "2026-12-07T09:58:31Z",
        },
      ],
    });
    onTestFinished(() => monitor.close());
    const watched = await startTestConsole(stack, { monitorStatusUrl: monitor.url });
    onTestFinished(() => watched.close());
    const page = await (
      await fetch(`${watched.url}/monitor`, { headers: { cookie: await login(watched.url) } })
    ).text();
    expect(page).toContain("1 open incident(s); 1 of 1 check(s) failing");
    expect(page).toContain("connection refused");
    expect(page).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("logs out: the session's cookie no longer opens a page", async () => {
    const cookie = await login(running.url);
    const token = csrfOf(await (await fetch(`${running.url}/queues`, { headers: { cookie } })).text());
    expect((await postForm(`${running.url}/logout`, { _csrf: token }, cookie)).status).toBe(303);
    const after = await fetch(`${running.url}/queues`, { headers: { cookie }, redirect: "manual" });
    expect(after.headers.get("location")).toBe("/login");
  });

  it("refuses to listen beyond loopback unless asked", async () => {
    await expect(startTestConsole(stack, { host: "0.0.0.0" })).rejects.toThrow(
      /refusing to listen on 0.0.0.0/,
    );
    const program = createProgram({ env: { ...stack.env, CONSOLE_PASSWORD: PASSWORD }, out: () => {} });
    await expect(program.parseAsync(["node", "isikhnas", "console", "--host", "0.0.0.0"])).rejects.toThrow(
      /refusing to listen on 0.0.0.0/,
    );
  });
});
