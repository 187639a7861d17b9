// Test support: a gateway over a test stack's database and a throw-away spool, and the
// helpers that drop message files into incoming/ the way smsd leaves them.
import { writeFileSync } from "node:fs";
import { copyFile, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TestStack } from "@isikhnas/devstack/testing";
import { createDatabase, createLogger, type Env } from "@isikhnas/platform";
import { type AppDeps, createApp, type SmsGateway } from "../app.js";
import type { SpoolLayout } from "../spool/layout.js";
import { testConfig } from "./spool.js";

export const logger = createLogger({
  name: "sms-gateway-test",
  level: process.env.TEST_LOG_LEVEL ?? "silent",
});

export function gateway(
  stack: TestStack,
  spool: SpoolLayout,
  overrides: Env = {},
  extra: Partial<Pick<AppDeps, "submit" | "now" | "logger">> = {},
): SmsGateway {
  const config = testConfig(stack.env, spool.root, overrides);
  const db = createDatabase(config, "sms-gateway-test");
  return createApp({ config, db, logger, ...extra });
}

export interface IncomingMessage {
  from: string;
  text: string;
  alphabet?: "ISO" | "UCS2";
  udh?: string;
  received?: string;
}

/** The bytes smsd writes for a received message. */
export function incomingContent(message: IncomingMessage): Buffer {
  const alphabet = message.alphabet ?? "ISO";
  const headers = [
    `From: ${message.from}`,
    "From_SMSC: 6281100000",
    `Sent: ${message.received ?? "26-03-14 09:15:02"}`,
    `Received: ${message.received ?? "26-03-14 09:15:07"}`,
    "Subject: GSM1",
    `Alphabet: ${alphabet}`,
    ...(message.udh ? ["UDH: true", `UDH-DATA: ${message.udh}`] : ["UDH: false"]),
  ];
  const body =
    alphabet === "UCS2" ? Buffer.from(message.text, "utf16le").swap16() : Buffer.from(message.text, "latin1");
  return Buffer.concat([Buffer.from(`${headers.join("\n")}\n\n`, "latin1"), body]);
}

/** An smsd incoming file, written under a hidden name and renamed like a finished file. */
export async function dropIncoming(
  spool: SpoolLayout,
  name: string,
  message: IncomingMessage,
): Promise<string> {
  const path = join(spool.incoming, name);
  await writeFile(join(spool.incoming, `.${name}.tmp`), incomingContent(message));
  await rename(join(spool.incoming, `.${name}.tmp`), path);
  return path;
}

/**
 * A backlog of incoming files, as smsd leaves them while the gateway is down. Written in
 * place with synchronous calls on purpose: no watcher runs yet to see half a file, and each
 * promise-based call would cost a thread-pool round trip (several times slower for 10,000
 * small files).
 */
export function dropBacklog(
  spool: SpoolLayout,
  names: readonly string[],
  message: (index: number) => IncomingMessage,
): void {
  names.forEach((name, index) => {
    writeFileSync(join(spool.incoming, name), incomingContent(message(index)));
  });
}

/** Copies a fixture into incoming/ (through a hidden name, so the watcher sees it whole). */
export async function dropFixture(spool: SpoolLayout, fixture: string, name: string): Promise<string> {
  const path = join(spool.incoming, name);
  await copyFile(
    new URL(`../spool/fixtures/${fixture}`, import.meta.url),
    join(spool.incoming, `.${name}.tmp`),
  );
  await rename(join(spool.incoming, `.${name}.tmp`), path);
  return path;
}

export async function readOutgoing(spool: SpoolLayout, name: string): Promise<Buffer> {
  return readFile(join(spool.outgoing, name));
}
