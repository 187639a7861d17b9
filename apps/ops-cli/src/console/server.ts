// The ops console's HTTP server: node's own http module and a route table of a dozen
// entries (a router library would add more than it saves); every page behind the login,
// every POST behind its CSRF token.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { QueueAges } from "@isikhnas/platform";
import { type Database, type Logger, QUEUES, redrive } from "@isikhnas/platform";
import { parse as parseCookies, serialize as serializeCookie } from "cookie";
import { SCRIPT, STYLESHEET } from "./assets.js";
import { LoginLimiter, passwordMatches, Sessions } from "./auth.js";
import { type Html, html } from "./html.js";
import {
  daemonsPage,
  deadLettersPage,
  inDoubtPage,
  layout,
  loginPage,
  messagesPage,
  monitorPage,
  NAV,
  notFoundPage,
  queuesPage,
  type RedriveOutcome,
  reportsPage,
} from "./pages.js";
import {
  type DaemonUrl,
  read,
  readDaemonHealth,
  readDeadLetters,
  readInDoubt,
  readLastMessages,
  readMonitor,
  readQueues,
  readReportRuns,
} from "./readings.js";

export interface ConsoleDeps {
  db: Database;
  sqs: SQSClient;
  logger: Logger;
  /** Absent: the queue page says ages are not known. */
  queueAges?: QueueAges;
}

export interface ConsoleOptions {
  prefix: string;
  password: string;
  /** Signs cookies and tokens; random when absent (a restart then ends every session). */
  sessionSecret?: string;
  sessionTtlMs: number;
  maxLoginFailures: number;
  loginWindowMs: number;
  daemons: readonly DaemonUrl[];
  monitorStatusUrl?: string;
  host: string;
  port: number;
  /** Listen on an address other than loopback (only behind the operators' VPN). */
  allowRemote?: boolean;
}

export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

const SESSION_COOKIE = "isikhnas_console";
const LOGIN_COOKIE = "isikhnas_console_login";
const MAX_FORM_BYTES = 16 * 1024;

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

class FormTooLarge extends Error {}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_FORM_BYTES) throw new FormTooLarge("form too large");
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export async function startConsole(deps: ConsoleDeps, options: ConsoleOptions): Promise<RunningConsole> {
  if (!isLoopback(options.host) && !options.allowRemote) {
    throw new Error(
      `refusing to listen on ${options.host}: the console is for localhost (reach it through the VPN or an SSH tunnel); --allow-remote overrides`,
    );
  }
  const secret = options.sessionSecret ? Buffer.from(options.sessionSecret, "utf8") : randomBytes(32);
  const sessions = new Sessions({ secret, ttlMs: options.sessionTtlMs });
  const limiter = new LoginLimiter({
    maxFailures: options.maxLoginFailures,
    windowMs: options.loginWindowMs,
  });
  const { db, sqs, logger } = deps;

  function send(
    response: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ) {
    response.writeHead(status, {
      ...SECURITY_HEADERS,
      "content-type": "text/html; charset=utf-8",
      ...headers,
    });
    response.end(body);
  }

  function redirect(
    response: ServerResponse,
    location: string,
    headers: Record<string, string | string[]> = {},
  ) {
    response.writeHead(303, { ...SECURITY_HEADERS, location, ...headers });
    response.end();
  }

  function sessionCookie(value: string, maxAgeSeconds: number): string {
    return serializeCookie(SESSION_COOKIE, value, {
      httpOnly: true,
      sameSite: "strict",
      path: "/",
      maxAge: maxAgeSeconds,
    });
  }

  function showLogin(
    response: ServerResponse,
    status: number,
    cookies: Record<string, string | undefined>,
    message?: string,
    extra: Record<string, string> = {},
  ) {
    // The nonce a browser already holds is kept: a second tab, or a request the browser
    // makes on its own (a favicon sent here), must not spoil the form that is open.
    const held = cookies[LOGIN_COOKIE];
    const nonce = held && /^[A-Za-z0-9_-]{24}$/.test(held) ? held : sessions.loginNonce();
    send(response, status, loginPage(sessions.loginToken(nonce), message).markup, {
      ...extra,
      "set-cookie": serializeCookie(LOGIN_COOKIE, nonce, {
        httpOnly: true,
        sameSite: "strict",
        path: "/login",
        maxAge: 3600,
      }),
    });
  }

  async function login(
    request: IncomingMessage,
    response: ServerResponse,
    cookies: Record<string, string | undefined>,
  ) {
    const form = await readForm(request);
    if (!sessions.loginTokenValid(cookies[LOGIN_COOKIE], form.get("_csrf") ?? undefined)) {
      showLogin(response, 403, {}, "The form expired; log in again.");
      return;
    }
    const client = request.socket.remoteAddress ?? "unknown";
    const waitMs = limiter.retryAfterMs(client);
    if (waitMs > 0) {
      logger.warn({ client }, "console login refused: too many failed attempts");
      showLogin(
        response,
        429,
        cookies,
        `Too many failed attempts; try again in ${Math.ceil(waitMs / 60_000)} min.`,
        {
          "retry-after": String(Math.ceil(waitMs / 1000)),
        },
      );
      return;
    }
    if (!passwordMatches(options.password, form.get("password") ?? "")) {
      limiter.fail(client);
      logger.warn({ client }, "console login failed");
      showLogin(response, 401, cookies, "Wrong password.");
      return;
    }
    logger.info({ client }, "console login");
    redirect(response, "/queues", {
      "set-cookie": [
        sessionCookie(sessions.open(), Math.floor(options.sessionTtlMs / 1000)),
        serializeCookie(LOGIN_COOKIE, "", { path: "/login", maxAge: 0 }),
      ],
    });
  }

  async function page(path: string, url: URL, csrfToken: string): Promise<Html | undefined> {
    switch (path) {
      case "/queues":
        return queuesPage(await read(() => readQueues(sqs, options.prefix, deps.queueAges)));
      case "/in-doubt":
        return inDoubtPage(await read(() => readInDoubt(db)));
      case "/messages":
        return messagesPage(await read(() => readLastMessages(db)));
      case "/reports":
        return reportsPage(await read(() => readReportRuns(db)));
      case "/daemons":
        return daemonsPage(await readDaemonHealth(options.daemons));
      case "/monitor":
        return monitorPage(await readMonitor(options.monitorStatusUrl));
      case "/dead-letters":
        return deadLettersPage(await readDeadLetters(sqs, options.prefix), csrfToken, redriveOutcome(url));
      default:
        return undefined;
    }
  }

  function redriveOutcome(url: URL): RedriveOutcome | { queue: string; error: string } | undefined {
    const queue = url.searchParams.get("redriven");
    if (!queue || !(QUEUES as readonly string[]).includes(queue)) return undefined;
    const error = url.searchParams.get("error");
    if (error !== null) return { queue, error };
    return {
      queue,
      moved: Number.parseInt(url.searchParams.get("moved") ?? "0", 10) || 0,
      failed: Number.parseInt(url.searchParams.get("failed") ?? "0", 10) || 0,
    };
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", "http://console.invalid");
    const path = url.pathname;
    const method = request.method ?? "GET";

    if (method === "GET" && path === "/static/console.css") {
      send(response, 200, STYLESHEET, { "content-type": "text/css; charset=utf-8" });
      return;
    }
    if (method === "GET" && path === "/static/console.js") {
      send(response, 200, SCRIPT, { "content-type": "text/javascript; charset=utf-8" });
      return;
    }

    if (method === "GET" && path === "/favicon.ico") {
      response.writeHead(204, SECURITY_HEADERS).end();
      return;
    }

    const cookies = parseCookies(request.headers.cookie ?? "");
    if (path === "/login") {
      if (method === "GET") return showLogin(response, 200, cookies);
      if (method === "POST") return login(request, response, cookies);
      return send(response, 405, "", { allow: "GET, POST" });
    }

    const sessionId = sessions.verify(cookies[SESSION_COOKIE]);
    if (!sessionId) {
      if (method === "GET") return redirect(response, "/login");
      return send(response, 403, layout({ title: "Not logged in" }, link("/login", "Log in")).markup);
    }
    const csrfToken = sessions.csrfToken(sessionId);
    /** A POST this console did not send as it stands: nothing changes, and the page says so. */
    const refuseForm = (status: number, title: string) =>
      send(
        response,
        status,
        layout(
          { title, csrfToken },
          link("/queues", "The form was stale or not from this console; nothing was changed. Back"),
        ).markup,
      );

    if (method === "POST") {
      const form = await readForm(request);
      if (!sessions.csrfValid(sessionId, form.get("_csrf") ?? undefined)) {
        logger.warn({ path }, "console POST refused: missing or wrong CSRF token");
        return refuseForm(403, "Refused");
      }
      if (path === "/logout") {
        sessions.close(sessionId);
        return redirect(response, "/login", { "set-cookie": sessionCookie("", 0) });
      }
      if (path === "/dead-letters/redrive") {
        const queue = form.get("queue") ?? "";
        if (!(QUEUES as readonly string[]).includes(queue)) {
          return refuseForm(400, "Unknown queue");
        }
        const target = new URLSearchParams({ redriven: queue });
        try {
          const result = await redrive(sqs, options.prefix, queue);
          logger.info({ queue, ...result }, "console redrive");
          target.set("moved", String(result.moved));
          target.set("failed", String(result.failed));
        } catch (error) {
          logger.error({ queue, err: error }, "console redrive failed");
          target.set("error", error instanceof Error ? error.message : String(error));
        }
        return redirect(response, `/dead-letters?${target}#${queue}`);
      }
      return send(response, 404, notFoundPage().markup);
    }

    if (method !== "GET" && method !== "HEAD") return send(response, 405, "", { allow: "GET, POST" });
    if (path === "/") return redirect(response, "/queues");
    const title = NAV.find((item) => item.path === path)?.title;
    if (!title) return send(response, 404, notFoundPage().markup);
    const body = await page(path, url, csrfToken);
    if (!body) return send(response, 404, notFoundPage().markup);
    send(response, 200, layout({ title, path, csrfToken }, body).markup);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof FormTooLarge) {
        send(response, 413, "form too large");
        return;
      }
      logger.error({ err: error, path: request.url }, "console request failed");
      if (!response.headersSent) send(response, 500, "internal error");
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function link(href: string, text: string): Html {
  return html`<p><a href="${href}">${text}</a></p>`;
}
