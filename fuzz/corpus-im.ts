// The IM (Telegram) bad-input corpus: update bodies as Telegram's webhook would post
// them, odd and malformed. Each file is one POST body; `update_id` is filled in by the
// test where the case is not about the update_id itself (the placeholder -> a fresh id).
import type { CorpusFile } from "./corpus-sms.js";

/** A demo user linked by the demo data (the paravet), and a stranger. */
const LINKED = { id: 900000006, is_bot: false, first_name: "Pak Paravet" };
const STRANGER = { id: 424242, is_bot: false, first_name: "Tamu" };
const PRIVATE = (from: { id: number }) => ({ id: from.id, type: "private" });
const ID = "__UPDATE_ID__";

function message(fields: Record<string, unknown>, from: Record<string, unknown> = LINKED) {
  return {
    update_id: ID,
    message: { message_id: 1, date: 1_796_000_000, from, chat: PRIVATE(from as { id: number }), ...fields },
  };
}

const photo = (sizes: unknown, extra: Record<string, unknown> = {}) => message({ photo: sizes, ...extra });
const size = { file_id: "no-such-file", file_unique_id: "u", width: 10, height: 10, file_size: 100 };

const CASES: [string, unknown][] = [
  ["text-empty", message({ text: "" })],
  ["text-whitespace", message({ text: " \n\t " })],
  ["text-5000-chars", message({ text: "U ".repeat(2500) })],
  ["text-nul", message({ text: `U mc${String.fromCharCode(0)} sp 4` })],
  ["text-emoji", message({ text: "U 🐄🐄 sp 4 😷" })],
  ["text-rtl", message({ text: "\u202eU mc sp 4" })],
  ["text-number", message({ text: 12345 })],
  ["text-null", message({ text: null })],
  ["text-object", message({ text: { a: 1 } })],
  ["text-from-stranger", message({ text: "U mc sp 4" }, STRANGER)],
  ["text-from-bot", message({ text: "?" }, { id: 777, is_bot: true, first_name: "Bot" })],
  [
    "message-no-from",
    {
      update_id: ID,
      message: { message_id: 1, date: 1_796_000_000, chat: { id: 5, type: "private" }, text: "?" },
    },
  ],
  [
    "message-no-chat",
    { update_id: ID, message: { message_id: 1, date: 1_796_000_000, from: LINKED, text: "?" } },
  ],
  [
    "message-no-date",
    { update_id: ID, message: { message_id: 1, from: LINKED, chat: PRIVATE(LINKED), text: "?" } },
  ],
  [
    "message-chat-id-string",
    {
      update_id: ID,
      message: {
        message_id: 1,
        date: 1_796_000_000,
        from: LINKED,
        chat: { id: "900000006", type: "private" },
        text: "?",
      },
    },
  ],
  ["message-null", { update_id: ID, message: null }],
  ["message-string", { update_id: ID, message: "hello" }],
  ["message-empty", message({})],
  ["contact-no-user-id", message({ contact: { phone_number: "6281100000007", first_name: "X" } }, STRANGER)],
  [
    "contact-other-user",
    message({ contact: { phone_number: "6281100000007", first_name: "X", user_id: 1 } }, STRANGER),
  ],
  [
    "contact-garbage-phone",
    message({ contact: { phone_number: "abc", first_name: "X", user_id: STRANGER.id } }, STRANGER),
  ],
  [
    "contact-empty-phone",
    message({ contact: { phone_number: "", first_name: "X", user_id: STRANGER.id } }, STRANGER),
  ],
  [
    "contact-long-phone",
    message({ contact: { phone_number: "6".repeat(500), first_name: "X", user_id: STRANGER.id } }, STRANGER),
  ],
  [
    "contact-phone-number-type",
    message({ contact: { phone_number: 6281100000007, user_id: STRANGER.id } }, STRANGER),
  ],
  ["photo-empty-sizes", photo([], { caption: "IMAGE 1000" })],
  ["photo-sizes-not-array", photo("big", { caption: "IMAGE 1000" })],
  ["photo-size-without-file-id", photo([{ width: 1, height: 1 }], { caption: "IMAGE 1000" })],
  ["photo-unknown-file", photo([size], { caption: "IMAGE 1000" })],
  ["photo-caption-not-a-number", photo([size], { caption: "IMAGE abc" })],
  ["photo-caption-huge-number", photo([size], { caption: `IMAGE ${"9".repeat(40)}` })],
  ["photo-caption-negative", photo([size], { caption: "IMAGE -1" })],
  ["photo-caption-object", photo([size], { caption: { a: 1 } })],
  ["photo-no-caption", photo([size])],
  ["photo-negative-size", photo([{ ...size, file_size: -5 }], { caption: "IMAGE 1000" })],
  ["photo-from-stranger", message({ photo: [size], caption: "IMAGE 1000" }, STRANGER)],
  ["photo-reply-to-nothing", photo([size], { reply_to_message: { message_id: 9 } })],
  ["photo-album-no-caption", photo([size], { media_group_id: "lonely-album" })],
  [
    "photo-in-group",
    {
      update_id: ID,
      message: {
        message_id: 1,
        date: 1_796_000_000,
        from: LINKED,
        chat: { id: -100, type: "supergroup" },
        photo: [size],
      },
    },
  ],
  [
    "sticker",
    message({ sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1 } }),
  ],
  ["voice", message({ voice: { file_id: "v", file_unique_id: "v", duration: 3 } })],
  ["video-note", message({ video_note: { file_id: "v", file_unique_id: "v", length: 1, duration: 3 } })],
  ["location", message({ location: { latitude: 91, longitude: 200 } })],
  ["venue", message({ venue: { location: { latitude: 1, longitude: 1 }, title: "x", address: "y" } })],
  ["document", message({ document: { file_id: "d", file_unique_id: "d", file_name: "laporan.xlsx" } })],
  ["dice", message({ dice: { emoji: "🎲", value: 6 } })],
  ["poll-message", message({ poll: { id: "p", question: "?", options: [] } })],
  [
    "edited-message",
    {
      update_id: ID,
      edited_message: {
        message_id: 1,
        date: 1,
        edit_date: 2,
        from: LINKED,
        chat: PRIVATE(LINKED),
        text: "U mc sp 4",
      },
    },
  ],
  ["edited-message-no-chat", { update_id: ID, edited_message: { message_id: 1, edit_date: 2 } }],
  [
    "channel-post",
    {
      update_id: ID,
      channel_post: { message_id: 1, date: 1, chat: { id: -1001, type: "channel" }, text: "U mc sp 4" },
    },
  ],
  ["callback-query", { update_id: ID, callback_query: { id: "c", from: LINKED, data: "x" } }],
  ["inline-query", { update_id: ID, inline_query: { id: "i", from: LINKED, query: "U", offset: "" } }],
  [
    "my-chat-member-blocked",
    {
      update_id: ID,
      my_chat_member: { chat: PRIVATE(LINKED), from: LINKED, date: 1, new_chat_member: { status: "kicked" } },
    },
  ],
  ["only-update-id", { update_id: ID }],
  ["future-kind", { update_id: ID, business_message: { text: "hi" } }],
  [
    "deep-nesting",
    {
      update_id: ID,
      message: {
        ...message({ text: "?" }).message,
        extra: JSON.parse(`${"[".repeat(500)}${"]".repeat(500)}`),
      },
    },
  ],
];

const RAW: [string, string][] = [
  ["raw-not-json", "update please"],
  ["raw-empty", ""],
  ["raw-json-null", "null"],
  ["raw-json-array", "[1,2,3]"],
  ["raw-truncated", JSON.stringify(message({ text: "?" })).slice(0, 40)],
  ["raw-update-id-string", JSON.stringify({ ...message({ text: "?" }), update_id: "12" })],
  ["raw-update-id-negative", JSON.stringify({ ...message({ text: "?" }), update_id: -1 })],
  ["raw-update-id-float", JSON.stringify({ ...message({ text: "?" }), update_id: 1.5 })],
  ["raw-update-id-huge", JSON.stringify({ ...message({ text: "?" }), update_id: 2 ** 60 })],
  ["raw-nul-in-json", JSON.stringify(message({ text: "a\u0000b" }))],
  ["raw-lone-surrogate", JSON.stringify(message({ text: "\ud800 U mc sp 4" }))],
];

export function imCorpus(): CorpusFile[] {
  return [
    ...CASES.map(([name, body]) => ({ name: `${name}.json`, content: Buffer.from(JSON.stringify(body)) })),
    ...RAW.map(([name, body]) => ({ name: `${name}.json`, content: Buffer.from(body) })),
  ];
}
