// A stand-in for SES's edge in tests: speaks the SES v2 protocol by forwarding every call
// to the SES emulator, except that it can answer the first N sends with SES's throttling
// error, refuse mail to chosen recipients with MessageRejected and answer chosen sends
// as a service that is briefly unavailable (503), as SES does. It keeps
// the raw messages it forwarded so tests can read their headers.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SesProxyOptions {
  /** The SES emulator's endpoint. */
  target: string;
  /** Answer this many sends with TooManyRequestsException before forwarding any. */
  throttleFirst?: number;
  /** Recipients SES refuses (MessageRejected, 400). */
  reject?: (raw: string) => boolean;
  /** Sends answered with ServiceUnavailable (503): a transient failure, not throttling. */
  unavailable?: (raw: string) => boolean;
}

export interface SesProxy {
  endpoint: string;
  throttled: number;
  rejected: number;
  unavailable: number;
  /** Raw MIME of every message forwarded to the emulator. */
  forwarded: string[];
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startSesProxy(options: SesProxyOptions): Promise<SesProxy> {
  const state: SesProxy = {
    endpoint: "",
    throttled: 0,
    rejected: 0,
    unavailable: 0,
    forwarded: [],
    close: async () => {},
  };
  let sends = 0;
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await bodyOf(request);
      const isSend = request.method === "POST" && (request.url ?? "").startsWith("/v2/email/outbound-emails");
      let raw = "";
      if (isSend) {
        const parsed = JSON.parse(body.toString("utf8")) as { Content?: { Raw?: { Data?: string } } };
        raw = Buffer.from(parsed.Content?.Raw?.Data ?? "", "base64").toString("utf8");
        sends += 1;
        if (sends <= (options.throttleFirst ?? 0)) {
          state.throttled += 1;
          response.writeHead(429, {
            "content-type": "application/json",
            "x-amzn-errortype": "TooManyRequestsException",
          });
          response.end(JSON.stringify({ message: "Maximum sending rate exceeded." }));
          return;
        }
        if (options.reject?.(raw)) {
          state.rejected += 1;
          response.writeHead(400, {
            "content-type": "application/json",
            "x-amzn-errortype": "MessageRejected",
          });
          response.end(JSON.stringify({ message: "Email address is not verified." }));
          return;
        }
        if (options.unavailable?.(raw)) {
          state.unavailable += 1;
          response.writeHead(503, {
            "content-type": "application/json",
            "x-amzn-errortype": "ServiceUnavailableException",
          });
          response.end(JSON.stringify({ message: "Service is unavailable. Try again later." }));
          return;
        }
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => name !== "host" && name !== "content-length"),
      ) as Record<string, string>;
      const upstream = await fetch(`${options.target}${request.url ?? "/"}`, {
        method: request.method ?? "GET",
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      if (isSend && upstream.ok) state.forwarded.push(raw);
      response.writeHead(upstream.status, {
        "content-type": upstream.headers.get("content-type") ?? "application/json",
      });
      response.end(Buffer.from(await upstream.arrayBuffer()));
    })().catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}
