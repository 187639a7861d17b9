// The emailinput handler: picks the database of the message's environment, recognises
// files already seen, guards and imports the workbook, and sends the stored answer only
// after the outcome is committed. Every path ends in exactly one answer.
import type { EmailInput } from "@isikhnas/contracts";
import { findTemplate, findUserByContact, type User } from "@isikhnas/domain";
import {
  type Bucket,
  type Database,
  type HandlerContext,
  type MessageHandler,
  type Outcome,
  outcome,
  type QueueProducer,
} from "@isikhnas/platform";
import { inspectContainer, isWorkbookRejected, type Language, WorkbookRejected } from "@isikhnas/workbooks";
import { type AnswerKind, answerEmail, messageAnswerId } from "./answers.js";
import type { CodeListCache } from "./code-lists.js";
import {
  AlreadyClaimed,
  type ImportSettings,
  importWorkbook,
  NotPermitted,
  systemTagFor,
} from "./import-workbook.js";
import { type Reply, replies } from "./replies.js";
import { type SpooledFile, SpoolTooLarge, spoolObject } from "./spool.js";
import { findUpload, markAnswered, type Outbox, type UploadRecord } from "./uploads.js";

export interface UploadHandlerDeps {
  databases: { live: Database; training?: Database | undefined };
  buckets: { queuefiles: Bucket; emailattachments: Bucket };
  producer: Pick<QueueProducer, "send" | "sendBatch">;
  codeLists: CodeListCache;
  settings: ImportSettings & { workDir?: string | undefined };
}

export function createUploadHandler(deps: UploadHandlerDeps): MessageHandler<EmailInput> {
  const { settings } = deps;

  // What an upload causes goes on with its message's correlation id, so the logs of
  // email-ingest, excel-processor, email-sender and report-generator share one id per mail.
  async function send(outbox: Outbox, context: HandlerContext): Promise<void> {
    const { correlationId } = context;
    await deps.producer.send("emailoutput", outbox.email, { correlationId });
    if (outbox.reports.length > 0) {
      await deps.producer.sendBatch("reportrequest", outbox.reports, { correlationId });
    }
  }

  /** An answer to a message that left no upload behind: deduplicated by its derived id. */
  async function answerMessage(
    message: EmailInput,
    kind: AnswerKind,
    reply: Reply,
    context: HandlerContext,
  ): Promise<void> {
    await deps.producer.send("emailoutput", answerEmail(message, messageAnswerId(message, kind), reply), {
      correlationId: context.correlationId,
    });
  }

  async function rejectFile(
    message: EmailInput,
    language: Language,
    problem: WorkbookRejected,
    context: HandlerContext,
  ): Promise<Outcome> {
    const reply = replies.badFile(
      systemTagFor(settings, message.environment),
      language,
      message.attachment.filename,
      problem,
    );
    await answerMessage(message, "bad-file", reply, context);
    return outcome.reject(`${problem.code}: ${problem.message}`);
  }

  async function settleKnown(
    db: Database,
    message: EmailInput,
    known: UploadRecord,
    language: Language,
    context: HandlerContext,
  ): Promise<Outcome> {
    if (known.messageId === message.messageId && known.outbox) {
      // A redelivery of the message that made this upload: its answer, as stored, once more
      // unless it is known to have gone.
      if (!known.answerSentAt) {
        await send(known.outbox, context);
        await markAnswered(db.primary, known.id);
      }
      context.logger.info(
        { uploadId: known.id, status: known.status },
        "upload already handled; answer ensured",
      );
      return outcome.done();
    }
    if (known.messageId === message.messageId) return outcome.retryLater();
    const template = known.templateCode ? findTemplate(known.templateCode) : undefined;
    await answerMessage(
      message,
      "duplicate",
      replies.alreadyReceived(systemTagFor(settings, message.environment), language, template, {
        id: known.id,
        status: known.status,
        receivedAt: known.receivedAt,
        filename: known.fileName,
      }),
      context,
    );
    return outcome.reject(`same file as upload ${known.id}`);
  }

  return async (message, context) => {
    const db = message.environment === "training" ? deps.databases.training : deps.databases.live;
    if (!db) {
      return outcome.deadLetter("a training message, but TRAINING_DATABASE_URL is not configured");
    }
    const sender: User | null = await findUserByContact(db.primary, "email", message.sender.address);
    const language: Language = sender?.language ?? "id";
    if (!sender?.active) {
      await answerMessage(
        message,
        "unregistered",
        replies.notRegistered(systemTagFor(settings, message.environment), language),
        context,
      );
      return outcome.reject("sender is not a registered, active user");
    }

    const known = await findUpload(db.primary, sender.id, message.attachment.sha256);
    if (known) return settleKnown(db, message, known, language, context);

    let spooled: SpooledFile;
    try {
      spooled = await spoolObject(deps.buckets.queuefiles, message.attachment.key, {
        expectedSha256: message.attachment.sha256,
        maxBytes: settings.limits.maxFileBytes,
        workDir: settings.workDir,
        signal: context.signal,
      });
    } catch (error) {
      if (!(error instanceof SpoolTooLarge)) throw error;
      return rejectFile(
        message,
        language,
        new WorkbookRejected("file_too_large", error.message, { limit: error.limit }),
        context,
      );
    }
    try {
      await inspectContainer(spooled.path, settings.limits);
      const codeLists = await deps.codeLists.get(db.primary);
      const result = await db.transaction((tx) =>
        importWorkbook(tx, {
          message,
          sender,
          path: spooled.path,
          codeLists,
          attachments: deps.buckets.emailattachments,
          settings,
        }),
      );
      context.logger.info(
        {
          uploadId: result.uploadId,
          status: result.status,
          rows: result.rows,
          errors: result.errors,
          ...result.timings,
        },
        "upload processed",
      );
      await send(result.outbox, context);
      await markAnswered(db.primary, result.uploadId);
      return result.status === "imported"
        ? outcome.done()
        : outcome.reject(`${result.errors} errors in the workbook`);
    } catch (error) {
      if (isWorkbookRejected(error)) return rejectFile(message, language, error, context);
      if (error instanceof NotPermitted) {
        await answerMessage(
          message,
          "not-permitted",
          replies.notPermitted(systemTagFor(settings, message.environment), language, error.template),
          context,
        );
        return outcome.reject(`user type ${sender.userType} may not upload ${error.template.id}`);
      }
      if (error instanceof AlreadyClaimed) {
        // The other delivery has committed by now (the claim waited for it).
        const committed = await findUpload(db.primary, sender.id, message.attachment.sha256);
        return committed ? settleKnown(db, message, committed, language, context) : outcome.retryLater();
      }
      throw error;
    } finally {
      await spooled.remove();
    }
  };
}
