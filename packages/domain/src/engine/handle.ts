// The one entry point for SMS and IM: store the message, resolve the sender, parse,
// check permission and duplicates, execute, and queue exactly one reply plus any alerts
// as outbound rows, all in one transaction keyed by the message's external id.
import {
  type Database,
  type Logger,
  prepared,
  type Queryable,
  queryAndCommit,
  type Transaction,
} from "@isikhnas/platform";
import type { Alert, CommandContext, CommandOutcome, Sender } from "../commands/context.js";
import { executeCommand } from "../commands/execute.js";
import type { Command, CommandCode, ParseError } from "../grammar/ast.js";
import { duplicateKey } from "../grammar/normalise.js";
import { type Reading, readCommand } from "../grammar/parse.js";
import { type Catalog, catalogFor, catalogs } from "../messages/catalog.js";
import { isShortCodeOrAlphanumeric, normalisePhone } from "../people/phone.js";
import { CONTACT_USER_SELECT, type ContactUserRow, contactUserOf } from "../people/queries.js";
import { type ReferenceData, referenceAt } from "./reference.js";
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

/**
 * A constraint or data error (SQLSTATE classes 22 and 23) from a command executor: this
 * report cannot be stored. On the fast path it has undone the whole transaction, so the
 * message is handled again with the command inside a savepoint.
 */
class CommandNotStored extends Error {
  constructor(cause: unknown) {
    super("command could not be stored", { cause });
    this.name = "CommandNotStored";
  }
}

function isDataError(caught: unknown): boolean {
  const code = typeof caught === "object" && caught !== null && "code" in caught ? String(caught.code) : "";
  return /^2[23]/.test(code);
}

/** What the statement that stores the message reads back: its id, the sender, the twin, the reference version. */
interface Stored extends Omit<ContactUserRow, "id"> {
  inbound_id: number;
  reference_version: number;
  /** Null for an unregistered address (the other sender columns are then null too). */
  id: number | null;
  twin_id: number | null;
  twin_case_id: number | null;
  /** For an unregistered address: whether it had its notice within the interval. */
  notice_sent: boolean | null;
}

// One statement: store the message (once per external id), resolve the sender from their
// contact (read fresh with every message: a deactivated or re-assigned user is seen at
// once), take the sender's lock and look for a twin within the duplicate window (in a
// function, whose query sees what committed while it waited) or, for an unknown number,
// the address's lock and its last notice; and read the reference version. No row back
// means the external id was already handled.
const STORE_AND_RESOLVE = prepared(
  "engine.store_and_resolve",
  `
WITH sender AS (
  ${CONTACT_USER_SELECT}
  WHERE c.channel = $1 AND c.address = $8 AND c.deleted_at IS NULL
  LIMIT 1
), inbound AS (
  -- The sender goes in with the row, so recording the verdict later touches no indexed
  -- column and PostgreSQL can update the row in place.
  INSERT INTO inbound_messages (channel, sender, text, normalised_text, received_at, external_id, environment,
                                user_id, created_by)
  SELECT $1, $2, $3, $4, $5, $6, $7, s.id, s.id FROM (SELECT 1) one LEFT JOIN sender s ON true
  ON CONFLICT (channel, external_id) DO NOTHING
  RETURNING id
)
SELECT inbound.id AS inbound_id, (SELECT version FROM reference_version) AS reference_version, sender.*,
       twin.twin_id, twin.twin_case_id,
       engine_lock_address_and_find_notice($1, CASE WHEN sender.id IS NULL THEN $8 END, $5, $11) AS notice_sent
FROM inbound
LEFT JOIN sender ON true
LEFT JOIN LATERAL engine_lock_and_find_twin(CASE WHEN sender.active THEN sender.id END, $4, $5, inbound.id, $9, $10)
  AS twin ON true`,
);

// BEGIN goes out with the statement that stores the message, COMMIT with the one that
// queues the reply: a U waits for three answers instead of five.
const PIPELINED = { pipelined: true };

export async function handleInboundMessage(
  db: Database,
  message: InboundMessage,
  options: EngineOptions = {},
): Promise<InboundResult> {
  // PostgreSQL text cannot hold NUL; a stray one from a handset must not lose the message.
  const text = message.text.replaceAll(String.fromCharCode(0), "");
  // Read once: the tokens as read are the duplicate key, the result is the command.
  const reading = readCommand(text);
  const read = { text, reading, normalised: duplicateKey(reading) };
  try {
    return await db.transaction((tx) => handle(db.primary, tx, message, read, options, false), PIPELINED);
  } catch (caught: unknown) {
    if (!(caught instanceof CommandNotStored)) throw caught;
    options.logger?.warn({ err: caught.cause }, "command could not be stored");
    return db.transaction((tx) => handle(db.primary, tx, message, read, options, true), PIPELINED);
  }
}

/** The message as read before its transaction: text without NULs, the reading, the duplicate key. */
interface ReadMessage {
  text: string;
  reading: Reading;
  normalised: string;
}

async function handle(
  pool: object,
  tx: Transaction,
  message: InboundMessage,
  read: ReadMessage,
  options: EngineOptions,
  guarded: boolean,
): Promise<InboundResult> {
  const tag = options.systemTag ?? DEFAULT_SYSTEM_TAG;
  const now = options.now ?? (() => new Date());
  const address = replyAddress(message);
  const stored = await tx.query<Stored>(STORE_AND_RESOLVE, [
    message.channel,
    message.sender,
    read.text,
    read.normalised,
    message.receivedAt,
    message.externalId,
    message.environment,
    address,
    DUPLICATE_WINDOW_MINUTES,
    read.reading.result.ok,
    NOTICE_INTERVAL_HOURS,
  ]);
  const row = stored.rows[0];
  if (!row) return storedResult(tx, message);
  const inboundMessageId = row.inbound_id;
  const reference = await referenceAt(pool, tx, row.reference_version);
  const decided = await decide({ tx, message, address, row, read, reference, options, guarded });
  const queued = await finish(tx, inboundMessageId, message.channel, decided, tag, now());
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
}

function senderOf(row: Stored): Sender | null {
  return row.id === null ? null : contactUserOf({ ...row, id: row.id });
}

interface Deciding {
  tx: Queryable;
  message: InboundMessage;
  address: string | null;
  row: Stored;
  read: ReadMessage;
  reference: ReferenceData;
  options: EngineOptions;
  guarded: boolean;
}

async function decide({
  tx,
  message,
  address,
  row,
  read,
  reference,
  options,
  guarded,
}: Deciding): Promise<Decision> {
  if (address === null) {
    return decision({ status: "ignored", errorReason: "short code or alphanumeric sender" });
  }
  const sender = senderOf(row);
  if (!sender) return unregistered(row.notice_sent === true, address);
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
  // The sender's lock is held from here (taken with the message's first statement): one
  // message of a user at a time, across processes (two gateways, a backlog and its
  // redeliveries), so the duplicate rule and H see what the user's other messages wrote.

  const { reading } = read;
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
  const rule = reference.command(command.code);
  const base = { userId: sender.id, commandCode: command.code };
  if (!rule?.permitted.has(sender.userType)) {
    return decision({
      ...base,
      status: "rejected",
      errorReason: "not permitted",
      reply: answer(catalog.notPermitted(command.code)),
    });
  }
  if (rule.changesData && row.twin_id !== null) {
    return decision({
      ...base,
      status: "duplicate",
      caseId: row.twin_case_id,
      duplicateOf: row.twin_id,
      reply: answer(catalog.duplicate(row.twin_case_id)),
    });
  }

  const context: CommandContext = {
    tx,
    sender,
    catalog,
    reference,
    inboundMessageId: row.inbound_id,
    text: read.text,
    receivedAt: message.receivedAt,
  };
  const outcome = guarded
    ? await executeGuarded(tx, context, command, options.logger)
    : await executeCommand(context, command).catch((caught: unknown) => {
        throw isDataError(caught) ? new CommandNotStored(caught) : caught;
      });
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

function unregistered(noticeSent: boolean, address: string): Decision {
  if (noticeSent) {
    return decision({ status: "unregistered", errorReason: "not registered; notice already sent" });
  }
  return decision({
    status: "unregistered",
    errorReason: "not registered",
    reply: { kind: "notice", address, body: catalogs.id.notRegistered() },
  });
}

/**
 * Runs the executor inside a savepoint, once the fast path found that this report cannot
 * be stored (a constraint or data error, classes 22 and 23): it is undone and the sender
 * told so, while the inbound message and its reply are still kept. Anything else
 * (connection lost, timeout) propagates so the gateway retries the whole message.
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
    if (!isDataError(caught)) throw caught;
    await tx.query("ROLLBACK TO SAVEPOINT command");
    logger?.warn({ err: caught, command: command.code }, "command could not be stored");
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

const FINISH = prepared(
  "engine.finish",
  `WITH queued AS (
       INSERT INTO outbound_messages (channel, address, subject, body, kind, inbound_message_id, user_id, created_by)
       SELECT o.channel, o.address, o.subject, o.body, o.kind, $1, o.user_id, $8
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
         WITH ORDINALITY AS o (channel, address, subject, body, kind, user_id, position)
       ORDER BY o.position
       RETURNING id, channel, address, body, kind
     ), handled AS (
       UPDATE inbound_messages
       SET command_code = $9, status = $10, error_reason = $11, case_id = $12, duplicate_of = $13,
           handled_at = $14, modified_by = $8
       WHERE id = $1
     )
     SELECT id, channel, address, body, kind FROM queued ORDER BY id`,
);

/**
 * Queues the reply and alerts and records the decision on the inbound row, in one
 * statement sent with the transaction's COMMIT.
 */
async function finish(
  tx: Transaction,
  inboundMessageId: number,
  channel: OutboundChannel,
  decided: Decision,
  tag: string,
  handledAt: Date,
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
  const inserted = await queryAndCommit<QueuedMessage & { kind: string }>(tx, FINISH, [
    inboundMessageId,
    rows.map((r) => r.channel),
    rows.map((r) => r.address),
    rows.map((r) => r.subject),
    rows.map((r) => r.body),
    rows.map((r) => r.kind),
    rows.map((r) => r.userId),
    decided.userId,
    decided.commandCode,
    decided.status,
    decided.errorReason,
    decided.caseId,
    decided.duplicateOf,
    handledAt,
  ]);
  return splitQueued(inserted.rows);
}

async function storedResult(tx: Transaction, message: InboundMessage): Promise<InboundResult> {
  const stored = await queryAndCommit<
    { inbound_id: number } & ({ [K in keyof QueuedMessage]: null } | QueuedMessage) & {
        kind: string | null;
      }
  >(
    tx,
    `SELECT i.id AS inbound_id, o.id, o.channel, o.address, o.body, o.kind
     FROM inbound_messages i LEFT JOIN outbound_messages o ON o.inbound_message_id = i.id
     WHERE i.channel = $1 AND i.external_id = $2
     ORDER BY o.id`,
    [message.channel, message.externalId],
  );
  const inboundMessageId = stored.rows[0]?.inbound_id;
  if (inboundMessageId === undefined) throw new Error("inbound message vanished after a conflict");
  const outbound = stored.rows.flatMap((row) =>
    row.id === null || row.kind === null
      ? []
      : [{ id: row.id, channel: row.channel, address: row.address, body: row.body, kind: row.kind }],
  );
  return { inboundMessageId, duplicate: true, ...splitQueued(outbound) };
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
