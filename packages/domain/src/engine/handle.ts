// The one entry point for SMS and IM: store the message, resolve the sender, parse,
// check permission and duplicates, execute, and queue exactly one reply plus any alerts
// as outbound rows, all in one transaction keyed by the message's external id.
import type { Database, Logger, Queryable } from "@isikhnas/platform";
import type { Alert, CommandContext, CommandOutcome, Sender } from "../commands/context.js";
import { executeCommand } from "../commands/execute.js";
import type { Command, CommandCode, ParseError } from "../grammar/ast.js";
import { duplicateKey } from "../grammar/normalise.js";
import { type Reading, readCommand } from "../grammar/parse.js";
import { type Catalog, catalogFor, catalogs } from "../messages/catalog.js";
import { isShortCodeOrAlphanumeric, normalisePhone } from "../people/phone.js";
import { findUserByContact } from "../people/queries.js";
import type {
  EngineOptions,
  InboundMessage,
  InboundResult,
  OutboundChannel,
  QueuedMessage,
} from "./types.js";

export const DEFAULT_SYSTEM_TAG = "[iSIKHNAS]";
const DUPLICATE_WINDOW_MINUTES = 10;
const NOTICE_INTERVAL_HOURS = 24;

type InboundStatus = "accepted" | "rejected" | "duplicate" | "unregistered" | "ignored" | "failed";

interface Decision {
  status: InboundStatus;
  userId: number | null;
  commandCode: CommandCode | null;
  errorReason: string | null;
  caseId: number | null;
  duplicateOf: number | null;
  reply: { kind: "reply" | "notice"; address: string; body: string } | null;
  alerts: Alert[];
}

function decision(partial: Partial<Decision> & Pick<Decision, "status">): Decision {
  return {
    userId: null,
    commandCode: null,
    errorReason: null,
    caseId: null,
    duplicateOf: null,
    reply: null,
    alerts: [],
    ...partial,
  };
}

export async function handleInboundMessage(
  db: Database,
  message: InboundMessage,
  options: EngineOptions = {},
): Promise<InboundResult> {
  const tag = options.systemTag ?? DEFAULT_SYSTEM_TAG;
  const now = options.now ?? (() => new Date());
  // PostgreSQL text cannot hold NUL; a stray one from a handset must not lose the message.
  const text = message.text.replaceAll(String.fromCharCode(0), "");
  // Read once: the tokens as read are the duplicate key, the result is the command.
  const reading = readCommand(text);
  const normalised = duplicateKey(reading);

  const result = await db.transaction(async (tx) => {
    const inserted = await tx.query<{ id: number }>(
      `INSERT INTO inbound_messages (channel, sender, text, normalised_text, received_at, external_id, environment)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (channel, external_id) DO NOTHING
       RETURNING id`,
      [
        message.channel,
        message.sender,
        text,
        normalised,
        message.receivedAt,
        message.externalId,
        message.environment,
      ],
    );
    const inboundMessageId = inserted.rows[0]?.id;
    if (inboundMessageId === undefined) return storedResult(tx, message);

    const decided = await decide(tx, message, inboundMessageId, reading, normalised, options.logger);
    const queued = await queueOutbound(tx, inboundMessageId, message.channel, decided, tag);
    await tx.query(
      `UPDATE inbound_messages
       SET user_id = $2, command_code = $3, status = $4, error_reason = $5, case_id = $6, duplicate_of = $7,
           handled_at = $8, created_by = $2, modified_by = $2
       WHERE id = $1`,
      [
        inboundMessageId,
        decided.userId,
        decided.commandCode,
        decided.status,
        decided.errorReason,
        decided.caseId,
        decided.duplicateOf,
        now(),
      ],
    );
    options.logger?.info(
      {
        inboundMessageId,
        channel: message.channel,
        command: decided.commandCode,
        status: decided.status,
        reason: decided.errorReason ?? undefined,
        alerts: queued.alerts.length,
      },
      "inbound message handled",
    );
    return { inboundMessageId, duplicate: false, ...queued };
  });
  return result;
}

async function decide(
  tx: Queryable,
  message: InboundMessage,
  inboundMessageId: number,
  reading: Reading,
  normalised: string,
  logger: Logger | undefined,
): Promise<Decision> {
  const address = replyAddress(message);
  if (address === null) {
    return decision({ status: "ignored", errorReason: "short code or alphanumeric sender" });
  }
  const sender = await findUserByContact(tx, message.channel, address);
  if (!sender) return unregistered(tx, message, address);
  const catalog = catalogFor(sender.language);
  const answer = (body: string) => ({ kind: "reply" as const, address, body });
  if (!sender.active) {
    return decision({
      status: "rejected",
      userId: sender.id,
      errorReason: "inactive user",
      reply: answer(catalog.inactive()),
    });
  }
  // One message of a user at a time, across processes (two gateways, a backlog and its
  // redeliveries): the duplicate rule and H read what the user's other messages wrote, and
  // under this lock every committed one is visible to the next statement.
  await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('isikhnas.user.' || $1::text, 0))", [
    sender.id,
  ]);

  const parsed = reading.result;
  if (!parsed.ok) {
    return decision({
      status: "rejected",
      userId: sender.id,
      commandCode: "command" in parsed.error ? parsed.error.command : null,
      errorReason: describeParseError(parsed.error),
      reply: answer(parseErrorReply(catalog, parsed.error, reading.tokens.length === 1)),
    });
  }
  const command = parsed.command;
  const rules = await tx.query<{ changes_data: boolean; permitted: boolean }>(
    `SELECT c.changes_data,
            EXISTS (SELECT 1 FROM command_permissions p
                    WHERE p.user_type = $2 AND p.command_code = c.code AND p.deleted_at IS NULL) AS permitted
     FROM commands c WHERE c.code = $1 AND c.deleted_at IS NULL`,
    [command.code, sender.userType],
  );
  const rule = rules.rows[0];
  const base = { userId: sender.id, commandCode: command.code };
  if (!rule?.permitted) {
    return decision({
      ...base,
      status: "rejected",
      errorReason: "not permitted",
      reply: answer(catalog.notPermitted(command.code)),
    });
  }
  if (rule.changes_data) {
    const twin = await findDuplicate(tx, sender, normalised, message.receivedAt, inboundMessageId);
    if (twin) {
      return decision({
        ...base,
        status: "duplicate",
        caseId: twin.caseId,
        duplicateOf: twin.id,
        reply: answer(catalog.duplicate(twin.caseId)),
      });
    }
  }

  const context: CommandContext = { tx, sender, catalog, inboundMessageId, receivedAt: message.receivedAt };
  const outcome = await executeGuarded(tx, context, command, logger);
  if (outcome === "failed") {
    return decision({
      ...base,
      status: "failed",
      errorReason: "could not be stored",
      reply: answer(catalog.failed()),
    });
  }
  if (outcome.status === "rejected") {
    return decision({
      ...base,
      status: "rejected",
      errorReason: outcome.reason,
      reply: answer(outcome.reply),
    });
  }
  return decision({
    ...base,
    status: "accepted",
    caseId: outcome.caseId ?? null,
    reply: answer(outcome.reply),
    alerts: outcome.alerts,
  });
}

/** Where a reply goes: the normalised phone for SMS, the IM id for IM; null when we must not reply. */
function replyAddress(message: InboundMessage): string | null {
  if (message.channel === "im") {
    const id = message.sender.trim();
    return id === "" ? null : id;
  }
  if (isShortCodeOrAlphanumeric(message.sender)) return null;
  return normalisePhone(message.sender);
}

async function unregistered(tx: Queryable, message: InboundMessage, address: string): Promise<Decision> {
  // Serialise messages from the same unknown address so the rate limit holds under bursts.
  await tx.query(
    "SELECT pg_advisory_xact_lock(hashtextextended('isikhnas.address.' || $1 || ':' || $2, 0))",
    [message.channel, address],
  );
  const recent = await tx.query(
    `SELECT 1 FROM outbound_messages o JOIN inbound_messages i ON i.id = o.inbound_message_id
     WHERE o.kind = 'notice' AND o.channel = $1 AND o.address = $2
       AND i.received_at > $3::timestamptz - make_interval(hours => $4)
     LIMIT 1`,
    [message.channel, address, message.receivedAt, NOTICE_INTERVAL_HOURS],
  );
  if (recent.rows.length > 0) {
    return decision({ status: "unregistered", errorReason: "not registered; notice already sent" });
  }
  return decision({
    status: "unregistered",
    errorReason: "not registered",
    reply: { kind: "notice", address, body: catalogs.id.notRegistered() },
  });
}

/**
 * The accepted message this one repeats: the same text from the same user received within
 * the window on either side. Both sides, because messages are not handled in the order they
 * were received (a backlog, a redelivery, two gateways): whichever of two twins is handled
 * first is the report, the other its duplicate. Of several, the nearest in time.
 */
async function findDuplicate(
  tx: Queryable,
  sender: Sender,
  normalised: string,
  receivedAt: Date,
  inboundMessageId: number,
): Promise<{ id: number; caseId: number | null } | null> {
  const result = await tx.query<{ id: number; case_id: number | null }>(
    `SELECT id, case_id FROM inbound_messages
     WHERE user_id = $1 AND normalised_text = $2 AND id <> $3 AND status = 'accepted' AND deleted_at IS NULL
       AND received_at > $4::timestamptz - make_interval(mins => $5)
       AND received_at < $4::timestamptz + make_interval(mins => $5)
     ORDER BY abs(extract(epoch FROM received_at - $4::timestamptz)), received_at, id LIMIT 1`,
    [sender.id, normalised, inboundMessageId, receivedAt, DUPLICATE_WINDOW_MINUTES],
  );
  const row = result.rows[0];
  return row ? { id: row.id, caseId: row.case_id } : null;
}

/**
 * Runs the executor inside a savepoint. A constraint or data error (classes 22 and 23)
 * means this report cannot be stored: it is undone and the sender told so, while the
 * inbound message and its reply are still kept. Anything else (connection lost, timeout)
 * propagates so the gateway retries the whole message.
 */
async function executeGuarded(
  tx: Queryable,
  context: CommandContext,
  command: Command,
  logger: Logger | undefined,
): Promise<CommandOutcome | "failed"> {
  await tx.query("SAVEPOINT command");
  try {
    const outcome = await executeCommand(context, command);
    await tx.query("RELEASE SAVEPOINT command");
    return outcome;
  } catch (caught: unknown) {
    const code = typeof caught === "object" && caught !== null && "code" in caught ? String(caught.code) : "";
    if (!/^2[23]/.test(code)) throw caught;
    await tx.query("ROLLBACK TO SAVEPOINT command");
    logger?.warn({ err: caught, command: command.code, sqlState: code }, "command could not be stored");
    return "failed";
  }
}

function describeParseError(error: ParseError): string {
  switch (error.kind) {
    case "empty":
      return "empty message";
    case "unknownCommand":
      return `unknown command ${error.word}`;
    case "format":
      return `format: ${error.field ?? "extra field"}${error.value === undefined ? "" : ` '${error.value}'`}`;
    case "spacedList":
      return `format: ${error.field} separated by spaces`;
    case "range":
      return `range: ${error.field} ${error.value}`;
  }
}

/** The reply to a message that cannot be read; a bare code (`bare`) is asking for its format. */
function parseErrorReply(catalog: Catalog, error: ParseError, bare: boolean): string {
  switch (error.kind) {
    case "empty":
      return catalog.commandList();
    case "unknownCommand":
      return catalog.unknownCommand(error.word);
    case "format":
      if (bare || (error.value === undefined && error.field === undefined))
        return catalog.format(error.command);
      return error.field
        ? catalog.badField(error.command, error.field, error.value)
        : catalog.extraWords(error.command, error.value ?? "");
    case "spacedList":
      return catalog.spacedList(error.field, error.suggestion);
    case "range":
      return catalog.outOfRange(error.field, error.value, error.min, error.max);
  }
}

async function queueOutbound(
  tx: Queryable,
  inboundMessageId: number,
  channel: OutboundChannel,
  decided: Decision,
  tag: string,
): Promise<Pick<InboundResult, "reply" | "alerts">> {
  const rows = [
    ...(decided.reply
      ? [
          {
            channel,
            address: decided.reply.address,
            subject: null,
            body: `${tag} ${decided.reply.body}`,
            kind: decided.reply.kind,
            userId: decided.userId,
          },
        ]
      : []),
    ...decided.alerts.map((alert) => ({
      channel: alert.channel,
      address: alert.address,
      subject: alert.subject === undefined ? null : `${tag} ${alert.subject}`,
      body: `${tag} ${alert.body}`,
      kind: "alert" as const,
      userId: alert.userId,
    })),
  ];
  if (rows.length === 0) return { reply: null, alerts: [] };
  const inserted = await tx.query<QueuedMessage & { kind: string }>(
    `INSERT INTO outbound_messages (channel, address, subject, body, kind, inbound_message_id, user_id, created_by)
     SELECT o.channel, o.address, o.subject, o.body, o.kind, $1, o.user_id, $8
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
       WITH ORDINALITY AS o (channel, address, subject, body, kind, user_id, position)
     ORDER BY o.position
     RETURNING id, channel, address, body, kind`,
    [
      inboundMessageId,
      rows.map((r) => r.channel),
      rows.map((r) => r.address),
      rows.map((r) => r.subject),
      rows.map((r) => r.body),
      rows.map((r) => r.kind),
      rows.map((r) => r.userId),
      decided.userId,
    ],
  );
  return splitQueued(inserted.rows);
}

async function storedResult(tx: Queryable, message: InboundMessage): Promise<InboundResult> {
  const stored = await tx.query<{ id: number }>(
    "SELECT id FROM inbound_messages WHERE channel = $1 AND external_id = $2",
    [message.channel, message.externalId],
  );
  const inboundMessageId = stored.rows[0]?.id;
  if (inboundMessageId === undefined) throw new Error("inbound message vanished after a conflict");
  const outbound = await tx.query<QueuedMessage & { kind: string }>(
    `SELECT id, channel, address, body, kind FROM outbound_messages
     WHERE inbound_message_id = $1 ORDER BY id`,
    [inboundMessageId],
  );
  return { inboundMessageId, duplicate: true, ...splitQueued(outbound.rows) };
}

function splitQueued(rows: (QueuedMessage & { kind: string })[]): Pick<InboundResult, "reply" | "alerts"> {
  const strip = ({ id, channel, address, body }: QueuedMessage): QueuedMessage => ({
    id,
    channel,
    address,
    body,
  });
  const reply = rows.find((row) => row.kind !== "alert");
  return {
    reply: reply ? strip(reply) : null,
    alerts: rows.filter((row) => row.kind === "alert").map(strip),
  };
}
