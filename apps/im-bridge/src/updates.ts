// Updates as the bridge keeps them: each stored once per (bot, update_id) before the
// polling offset moves past it, handled later in update_id order, and marked handled in
// the same transaction as what handling wrote.
import type { Database, Queryable } from "@isikhnas/platform";

/** Telegram's update, as much of it as the bridge reads; anything else rides along in the payload. */
export interface TelegramUpdate {
  update_id: number;
  message?: TelegramMessage;
  edited_message?: TelegramMessage;
  [other: string]: unknown;
}

export interface TelegramMessage {
  message_id: number;
  date: number;
  chat: { id: number; type: string };
  from?: { id: number; is_bot?: boolean; first_name?: string };
  text?: string;
  caption?: string;
  media_group_id?: string;
  contact?: { phone_number: string; first_name?: string; user_id?: number };
  photo?: { file_id: string; file_unique_id: string; width: number; height: number; file_size?: number }[];
  reply_to_message?: { message_id: number; text?: string; from?: { id: number; is_bot?: boolean } };
  [other: string]: unknown;
}

export interface StoredUpdate {
  id: number;
  updateId: number;
  kind: string;
  payload: TelegramUpdate;
}

const MESSAGE_KINDS = [
  "text",
  "contact",
  "photo",
  "sticker",
  "voice",
  "video_note",
  "video",
  "audio",
  "animation",
  "document",
  "location",
  "venue",
  "poll",
  "dice",
  "story",
] as const;

/** What an update is: `text`, `photo`, `edited_message`, `my_chat_member`, … (`unknown` when none fits). */
export function updateKind(update: TelegramUpdate): string {
  const message = update.message;
  if (isObject(message)) {
    for (const kind of MESSAGE_KINDS) if (message[kind] !== undefined && message[kind] !== null) return kind;
    return "message";
  }
  const key = Object.keys(update).find((name) => name !== "update_id");
  return key ?? "unknown";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function chatOf(update: TelegramUpdate): { chatId: string | null; fromId: string | null } {
  const message = [update.message, update.edited_message].find(isObject);
  const chat = isObject(message?.chat) ? message.chat.id : undefined;
  const from = isObject(message?.from) ? message.from.id : undefined;
  return {
    chatId: typeof chat === "number" || typeof chat === "string" ? String(chat) : null,
    fromId: typeof from === "number" || typeof from === "string" ? String(from) : null,
  };
}

/** Whether a value has the one thing every update must have: an integer update_id. */
export function isUpdate(value: unknown): value is TelegramUpdate {
  return isObject(value) && Number.isSafeInteger(value.update_id) && (value.update_id as number) >= 0;
}

/** Stores the updates in one transaction; ones already stored are left as they are. */
export async function storeUpdates(
  db: Database,
  botId: string,
  updates: readonly TelegramUpdate[],
): Promise<number> {
  if (updates.length === 0) return 0;
  const result = await db.query(
    `INSERT INTO im_updates (bot_id, update_id, kind, chat_id, from_id, payload)
     SELECT $1, u.update_id, u.kind, u.chat_id, u.from_id, u.payload
     FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
       AS u (update_id, kind, chat_id, from_id, payload)
     ON CONFLICT (bot_id, update_id) DO NOTHING`,
    [
      botId,
      updates.map((u) => u.update_id),
      updates.map(updateKind),
      updates.map((u) => chatOf(u).chatId),
      updates.map((u) => chatOf(u).fromId),
      updates.map(storableJson),
    ],
  );
  return result.rowCount ?? 0;
}

/**
 * The update as jsonb can hold it: PostgreSQL refuses NUL characters and lone UTF-16
 * surrogates, which a handset or a damaged client can put in a text; a stray one must not
 * lose the update (nor fail the webhook for ever), so they become U+FFFD or go.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storableJson(update: TelegramUpdate): string {
  return JSON.stringify(update, (_key, value: unknown) =>
    typeof value === "string"
      ? value.replace(LONE_SURROGATE, "\uFFFD").replaceAll(String.fromCharCode(0), "")
      : value,
  );
}

/** Updates stored and not yet handled, oldest first. */
export async function unhandledUpdates(db: Queryable, botId: string, limit: number): Promise<StoredUpdate[]> {
  const { rows } = await db.query<{ id: number; update_id: string; kind: string; payload: TelegramUpdate }>(
    `SELECT id, update_id, kind, payload FROM im_updates
     WHERE bot_id = $1 AND status = 'received' ORDER BY update_id LIMIT $2`,
    [botId, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    updateId: Number(row.update_id),
    kind: row.kind,
    payload: row.payload,
  }));
}

/**
 * Marks the update handled (or ignored, with the reason) if nobody did yet; false when
 * another handler got there first, so the caller's transaction writes nothing more.
 */
export async function claimHandled(
  tx: Queryable,
  id: number,
  status: "handled" | "ignored" = "handled",
  reason: string | null = null,
): Promise<boolean> {
  const result = await tx.query(
    `UPDATE im_updates SET status = $2, reason = $3, handled_at = now()
     WHERE id = $1 AND status = 'received'`,
    [id, status, reason],
  );
  return (result.rowCount ?? 0) > 0;
}
