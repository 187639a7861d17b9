// What the console's tests share: a console on the test stack, a login by plain fetch,
// and a tiny monitor serving the status contract.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestStack } from "@isikhnas/devstack/testing";
import { createLogger, createQueueAges } from "@isikhnas/platform";
import { loadConsoleConfig } from "../console/config.js";
import type { MonitorStatus } from "../console/readings.js";
import { type ConsoleOptions, type RunningConsole, startConsole } from "../console/server.js";

export const PASSWORD = "correct horse battery staple";

export async function startTestConsole(
  stack: TestStack,
  overrides: Partial<ConsoleOptions> = {},
): Promise<RunningConsole> {
  const config = loadConsoleConfig({ ...stack.env, CONSOLE_PASSWORD: PASSWORD });
  const { ages } = createQueueAges(config, "emulator");
  return startConsole(
    {
      db: stack.openDatabase(),
      sqs: stack.sqs,
      logger: createLogger({ name: "isikhnas-console", level: process.env.TEST_LOG_LEVEL ?? "silent" }),
      ...(ages ? { queueAges: ages } : {}),
    },
    {
      prefix: stack.prefix,
      password: PASSWORD,
      sessionTtlMs: 3_600_000,
      maxLoginFailures: 5,
      loginWindowMs: 900_000,
      daemons: [],
      host: "127.0.0.1",
      port: 0,
      ...overrides,
    },
  );
}

/** The value of a cookie the response sets, and its attributes as written. */
export function setCookie(response: Response, name: string): { value: string; header: string } | undefined {
  const header = response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
  if (!header) return undefined;
  return { value: header.slice(name.length + 1).split(";")[0] ?? "", header };
}

export function csrfOf(page: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!token) throw new Error("no CSRF token on the page");
  return token;
}

export async function postForm(
  url: string,
  fields: Record<string, string>,
  cookie: string,
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams(fields),
  });
}

/** Logs in as a browser would (GET the form, POST it with its token); returns the posted response. */
export async function tryLogin(base: string, password: string): Promise<Response> {
  const form = await fetch(`${base}/login`);
  const nonce = setCookie(form, "isikhnas_console_login");
  if (!nonce) throw new Error("the login form set no cookie");
  return postForm(
    `${base}/login`,
    { _csrf: csrfOf(await form.text()), password },
    `isikhnas_console_login=${nonce.value}`,
  );
}

/** A session cookie header for the console. */
export async function login(base: string): Promise<string> {
  const response = await tryLogin(base, PASSWORD);
  const session = setCookie(response, "isikhnas_console");
  if (response.status !== 303 || !session) throw new Error(`login failed: HTTP ${response.status}`);
  return `isikhnas_console=${session.value}`;
}

export interface FakeMonitor {
  url: string;
  close(): Promise<void>;
}

/** A real HTTP server answering `GET /status` with the monitor's contract. */
export async function startFakeMonitor(status: MonitorStatus): Promise<FakeMonitor> {
  const server = createServer((request, response) => {
    if (request.url !== "/status") {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(status));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/status`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
