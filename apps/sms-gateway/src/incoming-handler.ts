// One incoming spool file to one inbound message: the code path shared by the folder
// watcher and smsd's event handler. The file leaves incoming/ only after the engine's
// transaction committed; its identity (name + content hash) is the external id, so a file
// handled twice (a crash between commit and unlink) is recognised by the engine as a duplicate.
import { createHash } from "node:crypto";
import { readdir, stat, unlink } from "node:fs/promises";
import { basename, join } from "node:path";
import {
  type Environment,
  type InboundMessage,
  type InboundResult,
  inboundCorrelationId,
} from "@isikhnas/domain";
import type { Logger } from "@isikhnas/platform";
import {
  firstArrival,
  groupExternalId,
  isComplete,
  joinParts,
  type PartGroup,
  PartStore,
  readConcatenation,
} from "./concatenation.js";
import { ignoreMissing, readBounded } from "./spool/files.js";
import { isSpoolMessageName, type SpoolLayout } from "./spool/layout.js";
import { type IncomingSms, parseIncoming } from "./spool/parse-incoming.js";
import { quarantineFile } from "./spool/quarantine.js";

/** The command engine (`handleInboundMessage`) as the gateway calls it. */
export type SubmitInbound = (message: InboundMessage) => Promise<InboundResult>;

export interface IncomingDeps {
  spool: SpoolLayout;
  parts: PartStore;
  submit: SubmitInbound;
  /** Sender as written by smsd → international form (`0812…` → `62812…`). */
  normaliseSender: (raw: string) => string;
  environment: Environment;
  logger: Logger;
  now: () => Date;
  /** Called after a message was committed with a reply, so the sender can look sooner. */
  onCommitted?: (result: InboundResult) => void;
  /** Serialises work on one concatenation group inside this process. */
  groupLocks: KeyedLock;
}

export type IncomingOutcome =
  | { outcome: "delivered"; externalId: string; duplicate: boolean }
  | { outcome: "part-stored"; group: string; delivered: boolean }
  | { outcome: "status-report" }
  | { outcome: "quarantined"; reason: string }
  | { outcome: "gone" };

/** Runs tasks with the same key one after another. */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => {});
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/**
 * Far above anything smsd writes (a message of 255 UCS2 parts is under 40 KB): a larger
 * file is damage or not smsd's, and is quarantined without being read into memory.
 */
export const MAX_INCOMING_BYTES = 1024 * 1024;

function fileHash(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex").slice(0, 16);
}

async function removeHandled(path: string): Promise<void> {
  // Another path (the event handler and the watcher both saw it) may have removed it first.
  await unlink(path).catch(ignoreMissing(undefined));
}

/**
 * Handles one incoming file. Throws only for transient failures (database, disk): the file
 * then stays in incoming/ and is tried again.
 */
export async function handleIncomingFile(deps: IncomingDeps, path: string): Promise<IncomingOutcome> {
  const name = basename(path);
  const log = deps.logger.child({ file: name });
  const content = await readBounded(path, MAX_INCOMING_BYTES).catch(ignoreMissing(undefined));
  if (content === undefined) return { outcome: "gone" };
  if (content === "too-large") {
    const size = (await stat(path).catch(ignoreMissing(undefined)))?.size;
    return quarantine(deps, path, `too large: ${size} bytes, over ${MAX_INCOMING_BYTES}`, log);
  }
  const parsed = parseIncoming(content);
  if (!parsed.ok) return quarantine(deps, path, parsed.reason, log);

  const sms = parsed.value;
  if (sms.kind === "status-report") {
    // Delivery reports answer our own messages; they are never commands.
    log.info({ messageId: sms.messageId, status: sms.status }, "delivery report received");
    await removeHandled(path);
    return { outcome: "status-report" };
  }
  if (sms.unknownHeaders.length > 0) log.debug({ headers: sms.unknownHeaders }, "unknown headers ignored");

  let sender: string;
  try {
    sender = deps.normaliseSender(sms.from);
  } catch (error) {
    return quarantine(deps, path, `sender ${JSON.stringify(sms.from)} unusable: ${String(error)}`, log);
  }
  const hash = fileHash(content);
  const concatenation = sms.udh ? readConcatenation(sms.udh) : undefined;
  if (concatenation && concatenation.total > 1) {
    const key = PartStore.groupKey(sender, concatenation);
    return deps.groupLocks.run(key, async () => {
      await deps.parts.add(path, sender, concatenation, hash, deps.now(), sms);
      log.debug({ group: key, part: concatenation.part, total: concatenation.total }, "message part stored");
      const group = await deps.parts.read(key);
      const delivered = group !== undefined && isComplete(group) && (await deliverGroup(deps, group));
      return { outcome: "part-stored", group: key, delivered };
    });
  }

  const externalId = `sms-file:${name}:${hash}`;
  const result = await deps.submit({
    channel: "sms",
    sender,
    text: sms.text,
    receivedAt: sms.receivedAt ?? deps.now(),
    externalId,
    environment: deps.environment,
  });
  afterCommit(deps, result);
  await removeHandled(path);
  log.info(
    {
      correlationId: inboundCorrelationId(result.inboundMessageId),
      sender,
      externalId,
      duplicate: result.duplicate,
      inboundMessageId: result.inboundMessageId,
    },
    "sms handled",
  );
  return { outcome: "delivered", externalId, duplicate: result.duplicate };
}

function afterCommit(deps: IncomingDeps, result: InboundResult) {
  if (!result.duplicate && result.reply) deps.onCommitted?.(result);
}

async function quarantine(
  deps: IncomingDeps,
  path: string,
  reason: string,
  log: Logger,
): Promise<IncomingOutcome> {
  const moved = await quarantineFile(path, deps.spool.quarantine, reason, deps.now());
  log.warn({ reason, quarantined: moved.path }, "incoming file quarantined");
  return { outcome: "quarantined", reason };
}

/**
 * Joins a group's parts and hands the text to the engine, then removes the group. A part
 * file that no longer parses (it did when stored) is left out like a missing part.
 */
export async function deliverGroup(deps: IncomingDeps, group: PartGroup): Promise<boolean> {
  const texts = new Map<number, string>();
  let first: IncomingSms | undefined;
  for (const part of group.parts) {
    const message = await deps.parts.message(group.key, part);
    if (!message) continue;
    texts.set(part.part, message.text);
    if (!first || (message.receivedAt && first.receivedAt && message.receivedAt < first.receivedAt)) {
      first = message;
    }
  }
  if (!first) {
    await deps.parts.remove(group.key);
    return false;
  }
  const externalId = groupExternalId(group);
  const complete = isComplete(group);
  const result = await deps.submit({
    channel: "sms",
    sender: deps.normaliseSender(first.from),
    text: joinParts(group.total, texts),
    receivedAt: first.receivedAt ?? firstArrival(group) ?? deps.now(),
    externalId,
    environment: deps.environment,
  });
  afterCommit(deps, result);
  await deps.parts.remove(group.key);
  const log = deps.logger.child({
    group: group.key,
    correlationId: inboundCorrelationId(result.inboundMessageId),
  });
  // The sender goes in the line itself: the logger masks personal data there, not in bindings.
  const sender = deps.normaliseSender(first.from);
  if (complete)
    log.info(
      { sender, externalId, parts: group.total, duplicate: result.duplicate },
      "concatenated sms handled",
    );
  else {
    log.warn(
      { sender, externalId, received: group.parts.map((part) => part.part), total: group.total },
      "concatenated sms handled with parts missing",
    );
  }
  return true;
}

/**
 * The oldest write time (mtime, as smsd left it) among the message files still unread in
 * incoming/, or undefined when there are none.
 */
export async function oldestUnread(spool: SpoolLayout): Promise<Date | undefined> {
  const names = await readdir(spool.incoming).catch(ignoreMissing([] as string[]));
  let oldest: number | undefined;
  for (const name of names) {
    if (!isSpoolMessageName(name)) continue;
    const info = await stat(join(spool.incoming, name)).catch(ignoreMissing(undefined));
    if (info?.isFile() && (oldest === undefined || info.mtimeMs < oldest)) oldest = info.mtimeMs;
  }
  return oldest === undefined ? undefined : new Date(oldest);
}

/**
 * Hands over groups whose wait is over, complete or not, so a missing part never blocks.
 * The wait counts from when the gateway took the first part in, and it is not over while
 * incoming/ still holds a file smsd wrote before the wait ended: behind a backlog the
 * missing part may be among them, and a sibling handed over alone earns the sender two
 * format-error replies and loses the report. Files written after the wait ended hold
 * nothing up, so steady new traffic cannot keep a genuinely lost part from its answer.
 */
export async function sweepParts(deps: IncomingDeps, maxWaitMs: number): Promise<number> {
  let delivered = 0;
  // Listed once per sweep, and only when some incomplete group's wait has run out.
  let unread: Promise<Date | undefined> | undefined;
  for (const key of await deps.parts.groupKeys()) {
    const done = await deps.groupLocks.run(key, async () => {
      const group = await deps.parts.read(key);
      if (!group) return false;
      if (group.parts.length === 0) {
        await deps.parts.remove(key);
        return false;
      }
      if (!isComplete(group)) {
        const arrived = firstArrival(group);
        if (arrived === undefined) return false;
        const waitEnds = arrived.getTime() + maxWaitMs;
        if (deps.now().getTime() < waitEnds) return false;
        // A sibling moves into its group only under the group's lock, and the listing is
        // made under this lock or before it: the sibling shows in one place or the other.
        unread ??= oldestUnread(deps.spool);
        const oldest = await unread;
        if (oldest !== undefined && oldest.getTime() <= waitEnds) return false;
      }
      return deliverGroup(deps, group);
    });
    if (done) delivered += 1;
  }
  return delivered;
}
