// The one path every inbound mail takes once its raw form is stored: route it to an
// environment, check the sender and its authentication, store each workbook in
// queuefiles and queue one emailinput message for it, or answer the sender.
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { emailAddress, type MessageInputOf, type Verdicts } from "@isikhnas/contracts";
import {
  type Bucket,
  isPlatformError,
  type Logger,
  type QueueProducer,
  withCorrelation,
} from "@isikhnas/platform";
import { type AuthenticationStatus, assessAuthentication } from "./authentication.js";
import type { BlankTemplates } from "./blank-templates.js";
import {
  type AttachmentRecord,
  countRecorded,
  queueUnqueued,
  recordAndQueue,
  type UnqueuedAttachment,
} from "./ledger.js";
import { flattenParts, type MailHeader, openMail, readHeaderFrom } from "./mail-reader.js";
import {
  boundedKeyPart,
  helpReply,
  notRegisteredReply,
  type Reply,
  type ReplyContext,
  refusedReply,
  templateReply,
  tooLargeReply,
} from "./replies.js";
import { type Route, type Routes, routeFor } from "./routes.js";
import { type KnownSender, type SenderStanding, senderStanding, templatesFor } from "./senders.js";
import { mayBeWorkbook, storeWorkbookPart, XLSX_CONTENT_TYPE } from "./workbook-part.js";

export interface IngestSettings {
  maxMailBytes: number;
  maxAttachmentBytes: number;
  /** MIME parts a mail may have; a mail with more is read up to there and its sender told. */
  maxMailParts: number;
  systemTag: string;
  /** Replaces systemTag in replies from the training alias. */
  trainingSystemTag: string;
  authservId?: string | undefined;
}

export interface IngestDeps {
  buckets: { rawmail: Bucket; queuefiles: Bucket; emailattachments: Bucket };
  producer: QueueProducer;
  routes: Routes;
  logger: Logger;
  settings: IngestSettings;
  /** Blank workbooks for `TEMPLATE <code>` requests; without it such mail gets the help reply. */
  blankTemplates?: BlankTemplates | undefined;
  now?: () => Date;
}

/** A raw mail stored in the rawmail bucket, and what its transport said about it. */
export interface StoredMail {
  key: string;
  size: number;
  /** Names this mail when it has no Message-ID (the raw mail's SHA-256, the SES object key). */
  identity: string;
  recipients: readonly string[];
  verdicts: Verdicts;
}

/**
 * What became of a mail. `messageId` (the mail's Message-ID, or the stand-in made when it
 * has none) is the correlation id of every queue message the mail causes; `sender` is the
 * From address (masked when logged). Both are known once the mail passed the first checks.
 */
export type IngestResult =
  | { kind: "queued"; messageId: string; sender: string; attachments: number }
  | { kind: "answered"; reason: string; replyId: string; messageId: string; sender: string }
  /** Not answered (forged, automatic, not ours): the reason is logged. */
  | { kind: "ignored"; reason: string; messageId?: string; sender?: string };

/**
 * The logger for a handled mail's line: under the mail's Message-ID as `correlationId`, the
 * id excel-processor and email-sender log for what the mail caused.
 */
export function mailLogger(
  logger: Logger,
  result: IngestResult,
  extra: Record<string, unknown> = {},
): Logger {
  return result.messageId ? withCorrelation(logger, result.messageId, extra) : logger.child(extra);
}

/** Each candidate costs a bucket write: a mail of thousands of attachments must not. */
export const MAX_WORKBOOKS_PER_MAIL = 20;

const TEMPLATE_REQUEST = /^\s*(?:re:\s*)?template\s+([a-z0-9_]+)\s*$/i;

export function inputKey(messageId: string, sha256: string): string {
  return `${boundedKeyPart(messageId)}:${sha256}`;
}

function hashOf(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 32);
}

interface Screened {
  route: Route;
  header: MailHeader;
  from: { address: string; name?: string };
  messageId: string;
  authentication: AuthenticationStatus;
  standing: SenderStanding;
  context: ReplyContext;
  /** Whether a reply may go to the From address without making backscatter. */
  mayReply: boolean;
}

/** A mail that fails screening is ignored (never answered), for the reason given. */
type Screening = { ok: true; screened: Screened } | { ok: false; reason: string };

async function screen(
  deps: IngestDeps,
  header: MailHeader,
  mail: { recipients: readonly string[]; verdicts: Verdicts; identity?: string | undefined },
): Promise<Screening> {
  // The envelope decides; without one (a plain S3 event) the headers do, defaulting to live.
  const route =
    mail.recipients.length > 0
      ? routeFor(deps.routes, mail.recipients)
      : (routeFor(deps.routes, header.addressedTo) ?? deps.routes.live);
  if (!route) return { ok: false, reason: "not addressed to an ingest address" };
  const from = header.from;
  if (!from || !emailAddress.safeParse(from.address).success) {
    return { ok: false, reason: "no usable From address" };
  }
  const messageId =
    header.messageId ?? `<${hashOf(mail.identity ?? JSON.stringify(header))}@rawmail.isikhnas.invalid>`;
  const authentication = assessAuthentication({
    verdicts: mail.verdicts,
    authenticationResults: header.authenticationResults,
    sesSpamVerdict: header.sesSpamVerdict,
    sesVirusVerdict: header.sesVirusVerdict,
    trustedAuthservId: deps.settings.authservId,
  });
  if (authentication.kind === "failed") {
    // A failing check means the From address may be forged: never answer it.
    return { ok: false, reason: `authentication failed: ${authentication.reason}` };
  }
  const standing = await senderStanding(route.db, from.address);
  const language = standing.kind === "unknown" ? "both" : standing.user.language;
  return {
    ok: true,
    screened: {
      route,
      header,
      from,
      messageId,
      authentication,
      standing,
      mayReply: !header.automatic && (authentication.kind === "passed" || standing.kind !== "unknown"),
      context: {
        environment: route.environment,
        from: route.address,
        to: from.address,
        subject: header.subject,
        messageId,
        references: header.references,
        language,
        systemTag:
          route.environment === "training" ? deps.settings.trainingSystemTag : deps.settings.systemTag,
      },
    },
  };
}

async function answer(
  deps: IngestDeps,
  screened: Screened,
  reply: Reply,
  reason: string,
): Promise<IngestResult> {
  if (!screened.mayReply) {
    const why = screened.header.automatic ? "automatic mail" : "sender not authenticated";
    return {
      kind: "ignored",
      reason: `${reason}; not answered (${why})`,
      messageId: screened.messageId,
      sender: screened.from.address,
    };
  }
  await deps.producer.send("emailoutput", reply, { correlationId: screened.messageId });
  return {
    kind: "answered",
    reason,
    replyId: reply.id,
    messageId: screened.messageId,
    sender: screened.from.address,
  };
}

/** Answers a sender who may not upload. */
async function refuse(
  deps: IngestDeps,
  screened: Screened,
  standing: Exclude<SenderStanding, { kind: "permitted" }>,
  now: Date,
): Promise<IngestResult> {
  if (standing.kind === "unknown") {
    return answer(
      deps,
      screened,
      notRegisteredReply(screened.context, now.toISOString().slice(0, 10)),
      "sender not registered",
    );
  }
  return answer(
    deps,
    screened,
    refusedReply(screened.context, standing.reason),
    `sender refused: ${standing.reason}`,
  );
}

async function answerTemplateRequest(
  deps: IngestDeps,
  screened: Screened,
  user: KnownSender,
  code: string,
): Promise<IngestResult> {
  const { route, context } = screened;
  const { language } = user;
  const templates = await templatesFor(route.db, user.id, language);
  const template = templates.find((candidate) => candidate.code === code.toLowerCase());
  if (!template || !deps.blankTemplates) {
    const problem = template
      ? `TEMPLATE ${code}: blank templates cannot be produced at the moment`
      : `TEMPLATE ${code}: no such template among yours`;
    return answer(deps, screened, helpReply(context, templates, [problem]), "template request not served");
  }
  let content: Awaited<ReturnType<BlankTemplates["generate"]>>;
  try {
    content = await deps.blankTemplates.generate({ db: route.db, templateCode: template.code, language });
  } catch (error) {
    if (!isPlatformError(error, "NOT_FOUND")) throw error;
    const problem = `TEMPLATE ${code}: no blank workbook exists for this template`;
    return answer(deps, screened, helpReply(context, templates, [problem]), "template request not served");
  }
  const key = `templates/${route.environment}/${hashOf(screened.messageId)}/${template.code}.xlsx`;
  await deps.buckets.emailattachments.put(key, content, { contentType: XLSX_CONTENT_TYPE });
  const reply = templateReply(context, template, { key, filename: `${template.code}.xlsx` });
  return answer(deps, screened, reply, `blank template ${template.code} sent`);
}

/**
 * What becomes of a read mail: answering it, or recording and queueing its workbooks. Run
 * only once the raw mail is stored, so nothing anyone else sees happens before that.
 */
export type Commit = () => Promise<IngestResult>;

/** A mail being read, stored in rawmail under `key` (or being stored there as it is read). */
export interface MailToRead extends Omit<StoredMail, "identity" | "size"> {
  /** Unknown while the mail is still being stored; needed only for a mail without Message-ID. */
  identity?: string | undefined;
}

/**
 * Reads a mail as far as deciding what becomes of it: its header, its sender, and each
 * workbook, stored in queuefiles as it streams. Queue messages and ledger rows are left
 * to the returned commit. Undefined when the mail has no Message-ID and no identity was
 * given to name it by (the caller reads it again once it is stored). Throws on transient
 * failures (retry).
 */
export async function readMail(
  deps: IngestDeps,
  source: Readable,
  mail: MailToRead,
  signal?: AbortSignal,
): Promise<Commit | undefined> {
  const now = deps.now?.() ?? new Date();
  let opened: Awaited<ReturnType<typeof openMail>>;
  try {
    opened = await openMail(source, { maxParts: deps.settings.maxMailParts });
  } catch (error) {
    if (isPlatformError(error, "SCHEMA_INVALID")) {
      const reason = error.message;
      return async () => ({ kind: "ignored", reason });
    }
    throw error;
  }
  let keepOpen = false;
  try {
    if (!opened.header.messageId && mail.identity === undefined) return undefined;
    const screening = await screen(deps, opened.header, mail);
    if (!screening.ok) {
      const { reason } = screening;
      return async () => ({ kind: "ignored", reason });
    }
    const { screened } = screening;
    const { standing } = screened;
    if (standing.kind !== "permitted") return () => refuse(deps, screened, standing, now);
    const { user } = standing;

    const request = TEMPLATE_REQUEST.exec(screened.header.subject);
    const code = request?.[1];
    if (code) return () => answerTemplateRequest(deps, screened, user, code);

    keepOpen = true;
    const { route, messageId, from } = screened;
    const folder = `${route.environment}/${hashOf(messageId)}`;
    const problems: string[] = [];
    const workbooks: AttachmentRecord[] = [];
    let index = 0;
    let candidates = 0;
    try {
      for await (const part of flattenParts(opened.parts(), { maxParts: deps.settings.maxMailParts })) {
        index += 1;
        if (!mayBeWorkbook(part)) continue;
        candidates += 1;
        if (candidates > MAX_WORKBOOKS_PER_MAIL) {
          problems.push(`only the first ${MAX_WORKBOOKS_PER_MAIL} workbooks of a mail are read`);
          break;
        }
        const stored = await storeWorkbookPart(deps.buckets.queuefiles, part, {
          key: `${folder}/${index}.xlsx`,
          fallbackName: `attachment-${index}.xlsx`,
          maxBytes: deps.settings.maxAttachmentBytes,
          signal,
        });
        if (stored.kind === "unusable") {
          if (stored.problem) problems.push(stored.problem);
          continue;
        }
        workbooks.push({
          messageId,
          sha256: stored.sha256,
          senderAddress: from.address,
          recipient: route.address,
          filename: stored.filename,
          objectKey: stored.key,
          rawMailKey: mail.key,
          size: stored.size,
        });
      }
    } catch (error) {
      // What was read before the damage stands; the sender learns where reading stopped.
      if (!isPlatformError(error, "SCHEMA_INVALID")) throw error;
      problems.push(error.message);
    }
    return () => queueWorkbooks(deps, screened, user, { workbooks, problems, now });
  } finally {
    if (!keepOpen) opened.close();
  }
}

/**
 * Records the mail's workbooks (each already in queuefiles) and queues an emailinput
 * message for each one not queued before; a mail without any gets the help reply.
 */
async function queueWorkbooks(
  deps: IngestDeps,
  screened: Screened,
  user: KnownSender,
  read: { workbooks: AttachmentRecord[]; problems: string[]; now: Date },
): Promise<IngestResult> {
  const { route, messageId, from } = screened;
  const receivedAt = read.now.toISOString();
  const queue = async (attachment: UnqueuedAttachment) => {
    const input: MessageInputOf<"emailinput"> = {
      type: "emailinput",
      version: 1,
      id: inputKey(messageId, attachment.sha256),
      environment: route.environment,
      receivedAt,
      sender: { address: from.address, ...(from.name ? { name: from.name } : {}) },
      recipient: route.address,
      subject: screened.header.subject,
      messageId,
      references: screened.header.references,
      attachment: {
        bucket: "queuefiles",
        key: attachment.objectKey,
        filename: attachment.filename,
        contentType: XLSX_CONTENT_TYPE,
        size: attachment.size,
        sha256: attachment.sha256,
      },
      rawMail: { bucket: "rawmail", key: attachment.rawMailKey },
    };
    await deps.producer.send("emailinput", input, { correlationId: messageId });
  };
  // The usual case, a mail with workbooks: recorded, locked, queued and marked in one
  // transaction. Without any, a delivery of the same mail may have recorded some before.
  const recorded =
    read.workbooks.length > 0
      ? await recordAndQueue(route.db, read.workbooks, queue)
      : await countRecorded(route.db, messageId);
  if (recorded === 0) {
    const templates = await templatesFor(route.db, user.id, user.language);
    return answer(
      deps,
      screened,
      helpReply(screened.context, templates, read.problems),
      "no usable workbook",
    );
  }
  if (read.workbooks.length === 0) await queueUnqueued(route.db, messageId, queue);
  return { kind: "queued", messageId, sender: from.address, attachments: recorded };
}

/** Ingests a mail stored in the rawmail bucket. Throws on transient failures (retry). */
export async function ingestStoredMail(
  deps: IngestDeps,
  mail: StoredMail,
  signal?: AbortSignal,
): Promise<IngestResult> {
  const object = await deps.buckets.rawmail.get(mail.key, signal ? { signal } : {});
  const commit = await readMail(deps, object.body, mail, signal);
  if (!commit) throw new Error("a stored mail has an identity");
  return commit();
}

/** A mail over the size limit, known by its first bytes: answered when that is safe. */
export async function answerOversizeMail(
  deps: IngestDeps,
  mail: { head: Buffer; size: number; recipients: readonly string[]; verdicts: Verdicts },
): Promise<IngestResult> {
  const header = await readHeaderFrom(mail.head);
  if (!header)
    return { kind: "ignored", reason: `over the size limit (${mail.size} bytes); header unreadable` };
  const screening = await screen(deps, header, mail);
  if (!screening.ok) {
    return {
      kind: "ignored",
      reason: `over the size limit (${mail.size} bytes); ${screening.reason}`,
    };
  }
  const { screened } = screening;
  return answer(
    deps,
    screened,
    tooLargeReply(screened.context, deps.settings.maxMailBytes),
    `over the size limit (${mail.size} bytes)`,
  );
}
