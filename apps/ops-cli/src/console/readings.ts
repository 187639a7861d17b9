// What the console's pages show, read from SQS, PostgreSQL and HTTP. Nothing here writes;
// the one action, the redrive, is the operator CLI's own `redrive`.
import type { SQSClient } from "@aws-sdk/client-sqs";
import { listMailInDoubt, listRuns, type ReportRun } from "@isikhnas/domain";
import type { QueueAges } from "@isikhnas/platform";
import {
  type Database,
  type DeadLetter,
  listDeadLetters,
  maskEmail,
  maskPersonalData,
  maskPhone,
  QUEUES,
  type QueueStats,
  queueStats,
} from "@isikhnas/platform";
import { z } from "zod";
import { listImInDoubt } from "../im-in-doubt.js";

/** A panel's data, or why it could not be read: one failing source never blanks the page. */
export type Reading<T> = { ok: true; value: T } | { ok: false; error: string };

export async function read<T>(work: () => Promise<T>): Promise<Reading<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export interface QueueRow extends QueueStats {
  oldestAgeSeconds: number | undefined;
}

export interface QueueOverview {
  rows: QueueRow[];
  /** Why ages are missing, when they are. */
  agesError?: string;
}

export async function readQueues(
  sqs: SQSClient,
  prefix: string,
  ages: QueueAges | undefined,
): Promise<QueueOverview> {
  const [stats, ageReading] = await Promise.all([
    queueStats(sqs, prefix),
    ages ? read(() => ages(QUEUES)) : Promise.resolve(undefined),
  ]);
  const known = ageReading?.ok ? ageReading.value : new Map<string, number>();
  return {
    rows: stats.map((row) => ({ ...row, oldestAgeSeconds: known.get(row.queue) })),
    ...(ageReading === undefined
      ? { agesError: "no source of queue ages is configured (CONSOLE_QUEUE_AGE_SOURCE=none)" }
      : ageReading.ok
        ? {}
        : { agesError: ageReading.error }),
  };
}

export interface DeadLetterGroup {
  queue: string;
  letters: Reading<DeadLetter[]>;
}

export async function readDeadLetters(sqs: SQSClient, prefix: string): Promise<DeadLetterGroup[]> {
  return Promise.all(
    QUEUES.map(async (queue) => ({
      queue,
      letters: await read(async () =>
        // Bodies name recipients and senders: masked here as the logs mask them.
        (await listDeadLetters(sqs, prefix, queue, { max: 20, previewChars: 300 })).map((letter) => ({
          ...letter,
          bodyPreview: maskPersonalData(letter.bodyPreview),
        })),
      ),
    })),
  );
}

export interface InDoubt {
  mail: {
    id: number;
    at: Date | null;
    recipient: string;
    subject: string;
    key: string;
    reason: string | null;
  }[];
  im: { id: number; at: Date; chat: string; kind: string; reason: string | null }[];
}

export async function readInDoubt(db: Database): Promise<InDoubt> {
  const [mail, im] = await Promise.all([listMailInDoubt(db, { limit: 100 }), listImInDoubt(db, 100)]);
  return {
    mail: mail.map((row) => ({
      id: row.id,
      at: row.claimedAt,
      recipient: maskEmail(row.recipient),
      subject: maskPersonalData(row.subject),
      key: row.messageKey,
      reason: row.reason,
    })),
    im: im.map((row) => ({
      id: row.id,
      at: row.modifiedAt,
      chat: maskPhone(row.address),
      kind: row.kind,
      reason: row.lastError,
    })),
  };
}

export interface InboundWithReply {
  id: number;
  receivedAt: Date;
  sender: string;
  text: string;
  status: string;
  environment: string;
  reply: { body: string; status: string; sentAt: Date | null } | null;
}

export interface InboundMail {
  id: number;
  receivedAt: Date;
  sender: string;
  fileName: string;
  template: string | null;
  status: string;
  rows: number | null;
  errors: number | null;
  reason: string | null;
  answerSentAt: Date | null;
}

export interface LastMessages {
  sms: InboundWithReply[];
  im: InboundWithReply[];
  email: InboundMail[];
}

async function lastInbound(db: Database, channel: "sms" | "im", limit: number): Promise<InboundWithReply[]> {
  const { rows } = await db.query<{
    id: string;
    received_at: Date;
    sender: string;
    text: string;
    status: string;
    environment: string;
    reply_body: string | null;
    reply_status: string | null;
    reply_sent_at: Date | null;
  }>(
    `SELECT m.id, m.received_at, m.sender, m.text, m.status, m.environment,
            r.body AS reply_body, r.status AS reply_status, r.sent_at AS reply_sent_at
       FROM inbound_messages m
       LEFT JOIN outbound_messages r ON r.inbound_message_id = m.id AND r.kind = 'reply' AND r.deleted_at IS NULL
      WHERE m.channel = $1 AND m.deleted_at IS NULL
      ORDER BY m.received_at DESC, m.id DESC LIMIT $2`,
    [channel, limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    receivedAt: row.received_at,
    // Phone numbers and chat ids, masked as the logs mask them; texts may hold numbers too.
    sender: maskPhone(row.sender),
    text: maskPersonalData(row.text),
    status: row.status,
    environment: row.environment,
    reply:
      row.reply_body === null
        ? null
        : {
            body: maskPersonalData(row.reply_body),
            status: row.reply_status ?? "",
            sentAt: row.reply_sent_at,
          },
  }));
}

async function lastMail(db: Database, limit: number): Promise<InboundMail[]> {
  const { rows } = await db.query<{
    id: string;
    received_at: Date;
    sender_address: string;
    file_name: string;
    template_code: string | null;
    status: string;
    row_count: number | null;
    error_count: number | null;
    error_reason: string | null;
    answer_sent_at: Date | null;
  }>(
    `SELECT id, received_at, sender_address, file_name, template_code, status, row_count, error_count,
            error_reason, answer_sent_at
       FROM uploads WHERE deleted_at IS NULL ORDER BY received_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    receivedAt: row.received_at,
    sender: maskEmail(row.sender_address),
    fileName: row.file_name,
    template: row.template_code,
    status: row.status,
    rows: row.row_count,
    errors: row.error_count,
    reason: row.error_reason === null ? null : maskPersonalData(row.error_reason),
    answerSentAt: row.answer_sent_at,
  }));
}

export async function readLastMessages(db: Database, limit = 20): Promise<LastMessages> {
  const [sms, im, email] = await Promise.all([
    lastInbound(db, "sms", limit),
    lastInbound(db, "im", limit),
    lastMail(db, limit),
  ]);
  return { sms, im, email };
}

export async function readReportRuns(db: Database): Promise<ReportRun[]> {
  return listRuns(db, { limit: 50 });
}

export interface DaemonUrl {
  name: string;
  url: string;
}

export interface DaemonHealth {
  name: string;
  url: string;
  ready: boolean;
  status: string;
}

export async function readDaemonHealth(daemons: readonly DaemonUrl[]): Promise<DaemonHealth[]> {
  return Promise.all(
    daemons.map(async ({ name, url }) => {
      const target = `${url}/readyz`;
      try {
        const response = await fetch(target, { signal: AbortSignal.timeout(3_000) });
        const body = (await response.text()).slice(0, 200);
        return { name, url: target, ready: response.ok, status: `HTTP ${response.status} ${body}`.trim() };
      } catch (error) {
        return { name, url: target, ready: false, status: `unreachable: ${describe(error)}` };
      }
    }),
  );
}

const monitorStatus = z.object({
  checks: z.array(
    z.object({
      name: z.string(),
      ok: z.boolean(),
      lastCheckedAt: z.string().nullable().optional(),
      consecutiveFailures: z.number(),
      detail: z.string().nullable().optional(),
    }),
  ),
  incidents: z.array(
    z.object({
      id: z.union([z.string(), z.number()]),
      check: z.string(),
      openedAt: z.string(),
      resolvedAt: z.string().nullable().optional(),
      detail: z.string().nullable().optional(),
      notifiedAt: z.string().nullable().optional(),
    }),
  ),
});

export type MonitorStatus = z.output<typeof monitorStatus>;

export type MonitorReading =
  | { state: "unset" }
  | { state: "unreachable"; url: string; error: string }
  | { state: "ok"; url: string; status: MonitorStatus };

export async function readMonitor(url: string | undefined): Promise<MonitorReading> {
  if (!url) return { state: "unset" };
  try {
    const response = await fetch(url, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) return { state: "unreachable", url, error: `HTTP ${response.status}` };
    const parsed = monitorStatus.safeParse(await response.json());
    if (!parsed.success) {
      return { state: "unreachable", url, error: `not the monitor's status: ${parsed.error.message}` };
    }
    return { state: "ok", url, status: parsed.data };
  } catch (error) {
    return { state: "unreachable", url, error: describe(error) };
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch wraps the socket's error (ECONNREFUSED, a timeout) in a bare "fetch failed".
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
