// One stored update, handled: text through the command engine, a shared contact links
// the chat to a registered user, a photo goes onto its case, and everything else gets a
// polite reply saying what the bot takes. Every reply is an outbound row written in the
// transaction that marks the update handled, so a retry never answers twice.
import { createHash } from "node:crypto";
import {
  attachCaseImage,
  caseAccessFor,
  type Environment,
  findUserByContact,
  handleInboundMessage,
  type ImTexts,
  imTexts,
  inboundCorrelationId,
  type Language,
  linkImContact,
} from "@isikhnas/domain";
import type { Bucket, Database, Logger, Queryable } from "@isikhnas/platform";
import { type Api, GrammyError } from "grammy";
import { describeApiError } from "./bot-api.js";
import { claimHandled, type StoredUpdate, type TelegramMessage } from "./updates.js";

/** Marks an outbound row as the "share your phone number" request, so the sender adds the button. */
export const LINK_REQUEST = "link-request";

/** How long an album's reply waits for the album's other photos (Telegram sends them within a second or two). */
const ALBUM_GATHER_SECONDS = 3;

export interface HandlerDeps {
  db: Database;
  api: Api;
  images: Bucket;
  logger: Logger;
  botId: string;
  token: string;
  apiRoot: string;
  environment: Environment;
  systemTag: string;
  maxFileBytes: number;
  linkNoticeHours: number;
}

interface Reply {
  chatId: string;
  body: string;
  kind: "reply" | "notice";
  userId: number | null;
  linkRequest?: boolean;
}

const UNSUPPORTED: Record<string, Record<Language, string>> = {
  sticker: { id: "stiker", en: "stickers" },
  voice: { id: "pesan suara", en: "voice messages" },
  video_note: { id: "pesan video", en: "video messages" },
  video: { id: "video", en: "videos" },
  audio: { id: "audio", en: "audio" },
  animation: { id: "animasi", en: "animations" },
  document: { id: "dokumen", en: "documents" },
  location: { id: "lokasi", en: "locations" },
  venue: { id: "lokasi", en: "places" },
  poll: { id: "polling", en: "polls" },
  dice: { id: "dadu", en: "dice" },
  story: { id: "story", en: "stories" },
  message: { id: "pesan jenis ini", en: "this kind of message" },
};

export class UpdateHandler {
  constructor(private readonly deps: HandlerDeps) {}

  async handle(update: StoredUpdate): Promise<void> {
    const { payload } = update;
    const message = payload.message;
    if (payload.edited_message && isMessage(payload.edited_message)) {
      return this.answerOnly(update, payload.edited_message, (t) => t.edited());
    }
    if (!message || !isMessage(message)) {
      // Membership changes, callback queries, channel posts: nothing to answer in a chat.
      await this.ignore(update, `update of kind ${update.kind} carries no message to answer`);
      return;
    }
    if (message.chat.type !== "private") return this.answerOnly(update, message, (t) => t.groupChat());
    if (!message.from || message.from.is_bot) {
      await this.ignore(update, "message without a human sender");
      return;
    }
    if (update.kind === "contact") return this.link(update, message);
    if (update.kind === "text") {
      if (typeof message.text === "string") return this.text(update, message);
      return this.answerOnly(update, message, (t, language) =>
        t.unsupported(UNSUPPORTED.message?.[language] ?? ""),
      );
    }
    if (update.kind === "photo") return this.photo(update, message);
    const what = UNSUPPORTED[update.kind] ?? UNSUPPORTED.message;
    return this.answerOnly(update, message, (t, language) => t.unsupported(what?.[language] ?? ""));
  }

  private async text(update: StoredUpdate, message: TelegramMessage): Promise<void> {
    const { db, logger } = this.deps;
    const sender = String(message.from?.id);
    const user = await findUserByContact(db, "im", sender);
    if (!user) return this.askToLink(update, message);
    const result = await handleInboundMessage(
      db,
      {
        channel: "im",
        sender,
        text: message.text ?? "",
        receivedAt: new Date(message.date * 1000),
        externalId: this.externalId(update),
        environment: this.deps.environment,
      },
      { systemTag: this.deps.systemTag, logger },
    );
    // The engine is idempotent on the external id: if this mark is lost, a retry writes nothing new.
    await claimHandled(db, update.id);
    // Under the id the reply's and alerts' lines carry too (sender.ts).
    logger.info(
      {
        correlationId: inboundCorrelationId(result.inboundMessageId),
        sender,
        updateId: update.updateId,
        duplicate: result.duplicate,
      },
      "im message handled",
    );
  }

  private async link(update: StoredUpdate, message: TelegramMessage): Promise<void> {
    const chatId = String(message.chat.id);
    const fromId = String(message.from?.id);
    const contact = message.contact;
    await this.deps.db.transaction(async (tx) => {
      if (!(await claimHandled(tx, update.id))) return;
      if (!contact || typeof contact.phone_number !== "string" || String(contact.user_id ?? "") !== fromId) {
        await this.queue(tx, {
          chatId,
          body: imTexts.id.notOwnContact(),
          kind: "reply",
          userId: null,
          linkRequest: true,
        });
        return;
      }
      const outcome = await linkImContact(tx, fromId, contact.phone_number);
      if (outcome.status === "linked") {
        this.deps.logger.info({ userId: outcome.userId }, "chat account linked");
        const body = imTexts[outcome.language].linked(outcome.name);
        await this.queue(tx, { chatId, body, kind: "reply", userId: outcome.userId });
      } else if (outcome.status === "inactive") {
        await this.queue(tx, {
          chatId,
          body: imTexts[outcome.language].inactive(),
          kind: "reply",
          userId: null,
        });
      } else {
        await this.queue(tx, { chatId, body: imTexts.id.unknownNumber(), kind: "reply", userId: null });
      }
    });
  }

  private async askToLink(update: StoredUpdate, message: TelegramMessage): Promise<void> {
    const chatId = String(message.chat.id);
    await this.deps.db.transaction(async (tx) => {
      if (!(await claimHandled(tx, update.id))) return;
      // One "how to link" a day per chat: a stranger typing away gets no stream of replies.
      await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('isikhnas.im-link.' || $1, 0))", [
        chatId,
      ]);
      const recent = await tx.query(
        `SELECT 1 FROM outbound_messages
         WHERE channel = 'im' AND kind = 'notice' AND address = $1 AND subject = $2
           AND created_at > now() - make_interval(hours => $3) LIMIT 1`,
        [chatId, LINK_REQUEST, this.deps.linkNoticeHours],
      );
      if (recent.rows.length > 0) {
        await tx.query(
          "UPDATE im_updates SET reason = 'not linked; how-to-link already sent' WHERE id = $1",
          [update.id],
        );
        return;
      }
      await this.queue(tx, {
        chatId,
        body: imTexts.id.howToLink(),
        kind: "notice",
        userId: null,
        linkRequest: true,
      });
    });
  }

  private async photo(update: StoredUpdate, message: TelegramMessage): Promise<void> {
    const { db, logger } = this.deps;
    const sender = String(message.from?.id);
    const chatId = String(message.chat.id);
    const user = await findUserByContact(db, "im", sender);
    if (!user) return this.askToLink(update, message);
    const texts = imTexts[user.language];
    const group = message.media_group_id;
    const caseId = caseIdOf(message) ?? (group ? await this.groupCaseId(group) : null);
    const refuse = (body: string) => this.refuseOncePerGroup(update, chatId, user.id, group, body);
    if (caseId === null) return refuse(texts.imageNeedsCase());
    const access = await caseAccessFor(db, user, caseId);
    if (access.status === "not-found") return refuse(texts.imageCaseNotFound(caseId));
    if (access.status === "outside-area") return refuse(texts.imageOutsideArea(caseId));
    const largest = [...(message.photo ?? [])].sort(
      (a, b) => (b.file_size ?? b.width * b.height) - (a.file_size ?? a.width * a.height),
    )[0];
    if (!largest || typeof largest.file_id !== "string") return refuse(texts.imageFailed());
    const limitMb = Math.floor(this.deps.maxFileBytes / (1024 * 1024));
    if ((largest.file_size ?? 0) > this.deps.maxFileBytes) return refuse(texts.imageTooLarge(limitMb));
    const downloaded = await this.download(largest.file_id);
    if (downloaded === "too-large") return refuse(texts.imageTooLarge(limitMb));
    if (downloaded === "unavailable") return refuse(texts.imageFailed());
    const sha256 = createHash("sha256").update(downloaded).digest("hex");
    const key = `im/${sha256}`;
    // Content-addressed: the same picture sent twice is one object.
    if (!(await this.deps.images.exists(key)))
      await this.deps.images.put(key, downloaded, { contentType: "image/jpeg" });
    await db.transaction(async (tx) => {
      if (!(await claimHandled(tx, update.id))) return;
      await attachCaseImage(tx, {
        caseId,
        userId: user.id,
        channel: "im",
        externalId: this.externalId(update),
        sender,
        caption: message.caption ?? "",
        receivedAt: new Date(message.date * 1000),
        environment: this.deps.environment,
        bucketKey: key,
        sha256,
        sizeBytes: downloaded.length,
        sourceFileId: largest.file_unique_id,
      });
      if (!group) {
        await this.queue(tx, { chatId, body: texts.imageStored(caseId, 1), kind: "reply", userId: user.id });
        return;
      }
      // An album's photos arrive as separate updates: one reply, held back a moment, counts them all.
      await this.claimGroup(tx, group, caseId);
      const counted = await tx.query<{ photo_count: number; reply_id: number | null }>(
        `UPDATE im_media_groups SET photo_count = photo_count + 1
         WHERE bot_id = $1 AND media_group_id = $2 RETURNING photo_count, reply_id`,
        [this.deps.botId, group],
      );
      const { photo_count: count = 1, reply_id: replyId = null } = counted.rows[0] ?? {};
      const body = `${this.deps.systemTag} ${texts.imageStored(caseId, count)}`;
      if (replyId !== null) {
        await tx.query("UPDATE outbound_messages SET body = $2 WHERE id = $1 AND status = 'queued'", [
          replyId,
          body,
        ]);
        return;
      }
      const queued = await tx.query<{ id: number }>(
        `INSERT INTO outbound_messages (channel, address, body, kind, user_id, created_by, not_before)
         VALUES ('im', $1, $2, 'reply', $3, $3, now() + make_interval(secs => $4::float8)) RETURNING id`,
        [chatId, body, user.id, ALBUM_GATHER_SECONDS],
      );
      await tx.query("UPDATE im_media_groups SET reply_id = $3 WHERE bot_id = $1 AND media_group_id = $2", [
        this.deps.botId,
        group,
        queued.rows[0]?.id,
      ]);
    });
    logger.info({ caseId, bytes: downloaded.length, album: group !== undefined }, "photo attached to case");
  }

  /** The file's bytes, or "too-large" when it exceeds the limit. The URL carries the token: never logged. */
  private async download(fileId: string): Promise<Buffer | "too-large" | "unavailable"> {
    let file: Awaited<ReturnType<Api["getFile"]>>;
    try {
      file = await this.deps.api.getFile(fileId);
    } catch (error) {
      if (/file is too big/i.test(describeApiError(error, this.deps.token))) return "too-large";
      // Telegram answered that it will not serve this file (a bad or expired file_id): asking again will not help.
      if (error instanceof GrammyError && error.error_code === 400) return "unavailable";
      throw error;
    }
    if ((file.file_size ?? 0) > this.deps.maxFileBytes) return "too-large";
    if (!file.file_path) throw new Error("getFile returned no file_path");
    const response = await fetch(`${this.deps.apiRoot}/file/bot${this.deps.token}/${file.file_path}`, {
      signal: AbortSignal.timeout(120_000),
    });
    if (!response.ok || !response.body) throw new Error(`file download answered ${response.status}`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.length;
      if (size > this.deps.maxFileBytes) return "too-large";
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }

  private async groupCaseId(group: string): Promise<number | null> {
    const { rows } = await this.deps.db.query<{
      case_id: number | null;
      caption: string | null;
      reply: string | null;
    }>(
      `SELECT g.case_id, u.payload #>> '{message,caption}' AS caption,
              u.payload #>> '{message,reply_to_message,text}' AS reply
       FROM im_updates u LEFT JOIN im_media_groups g ON g.bot_id = u.bot_id AND g.media_group_id = $2
       WHERE u.bot_id = $1 AND u.payload #>> '{message,media_group_id}' = $2
       ORDER BY u.update_id`,
      [this.deps.botId, group],
    );
    for (const row of rows) {
      if (row.case_id !== null) return row.case_id;
      const found =
        caseIdIn(row.caption, /^\s*IMAGE\s+(\d{1,12})\b/i) ??
        caseIdIn(row.reply, /(?:Case ID|ID Kasus) (\d{1,12})/i);
      if (found !== null) return found;
    }
    return null;
  }

  private async claimGroup(tx: Queryable, group: string, caseId: number | null): Promise<boolean> {
    const inserted = await tx.query(
      `INSERT INTO im_media_groups (bot_id, media_group_id, case_id) VALUES ($1, $2, $3)
       ON CONFLICT (bot_id, media_group_id) DO NOTHING`,
      [this.deps.botId, group, caseId],
    );
    return (inserted.rowCount ?? 0) > 0;
  }

  private async refuseOncePerGroup(
    update: StoredUpdate,
    chatId: string,
    userId: number,
    group: string | undefined,
    body: string,
  ): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      if (!(await claimHandled(tx, update.id, "ignored", body))) return;
      if (group && !(await this.claimGroup(tx, group, null))) return;
      await this.queue(tx, { chatId, body, kind: "reply", userId });
    });
  }

  private async answerOnly(
    update: StoredUpdate,
    message: TelegramMessage,
    text: (texts: ImTexts, language: Language) => string,
  ): Promise<void> {
    const chatId = String(message.chat.id);
    const user = message.from ? await findUserByContact(this.deps.db, "im", String(message.from.id)) : null;
    const language = user?.language ?? "id";
    await this.deps.db.transaction(async (tx) => {
      if (!(await claimHandled(tx, update.id, "ignored", `${update.kind} answered with what the bot takes`)))
        return;
      await this.queue(tx, {
        chatId,
        body: text(imTexts[language], language),
        kind: "reply",
        userId: user?.id ?? null,
      });
    });
  }

  private async ignore(update: StoredUpdate, reason: string): Promise<void> {
    this.deps.logger.info({ updateId: update.updateId, kind: update.kind, reason }, "update ignored");
    await claimHandled(this.deps.db, update.id, "ignored", reason);
  }

  private externalId(update: StoredUpdate): string {
    return `${this.deps.botId}:${update.updateId}`;
  }

  private async queue(tx: Queryable, reply: Reply): Promise<void> {
    await tx.query(
      `INSERT INTO outbound_messages (channel, address, subject, body, kind, user_id, created_by)
       VALUES ('im', $1, $2, $3, $4, $5, $5)`,
      [
        reply.chatId,
        reply.linkRequest ? LINK_REQUEST : null,
        `${this.deps.systemTag} ${reply.body}`,
        reply.kind,
        reply.userId,
      ],
    );
  }
}

function isMessage(value: unknown): value is TelegramMessage {
  if (typeof value !== "object" || value === null) return false;
  const message = value as Partial<TelegramMessage>;
  return (
    typeof message.chat === "object" &&
    message.chat !== null &&
    (typeof message.chat.id === "number" || typeof message.chat.id === "string") &&
    typeof message.date === "number"
  );
}

/** `IMAGE 1234` in the caption, or a reply to the bot's message naming `Case ID 1234`. */
function caseIdOf(message: TelegramMessage): number | null {
  const fromCaption = caseIdIn(message.caption, /^\s*IMAGE\s+(\d{1,12})\b/i);
  if (fromCaption !== null) return fromCaption;
  const replied = message.reply_to_message;
  if (replied?.from?.is_bot) return caseIdIn(replied.text, /(?:Case ID|ID Kasus) (\d{1,12})/i);
  return null;
}

function caseIdIn(text: string | null | undefined, pattern: RegExp): number | null {
  const match = typeof text === "string" ? pattern.exec(text) : null;
  return match?.[1] ? Number(match[1]) : null;
}
