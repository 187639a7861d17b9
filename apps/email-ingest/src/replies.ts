// The answers email-ingest gives itself (the excel-processor answers accepted workbooks):
// how to use the channel, not registered, not permitted, too large. Each carries an id
// derived from the inbound mail, so the sender sends it once however often the mail
// arrives.
import { createHash } from "node:crypto";
import type { Environment, MessageInputOf } from "@isikhnas/contracts";
import type { TemplateSummary } from "./senders.js";
import { XLSX_CONTENT_TYPE } from "./workbook-part.js";

export type Reply = MessageInputOf<"emailoutput">;
export type Language = "id" | "en" | "both";

export interface ReplyContext {
  environment: Environment;
  /** The ingest address the mail came to; the reply comes from it. */
  from: string;
  to: string;
  subject: string;
  messageId: string;
  references: readonly string[];
  language: Language;
  systemTag: string;
}

/** `value` itself, or its SHA-256 when long: keeps message ids within the contract's 512 characters. */
export function boundedKeyPart(value: string): string {
  return value.length <= 400 ? value : createHash("sha256").update(value).digest("hex");
}

/** An id for an output message, within the contract's 512 characters whatever the Message-ID. */
export function replyKey(kind: string, ...parts: string[]): string {
  return `${kind}:${boundedKeyPart(parts.join(":"))}`;
}

function reply(context: ReplyContext, id: string, lines: { id: string[]; en: string[] }): Reply {
  const text =
    context.language === "en"
      ? lines.en.join("\n")
      : context.language === "id"
        ? lines.id.join("\n")
        : [...lines.id, "", "---", "", ...lines.en].join("\n");
  const subject = context.subject.trim() || "(no subject)";
  return {
    type: "emailoutput",
    version: 1,
    id,
    environment: context.environment,
    to: [context.to],
    from: context.from,
    subject: `${context.systemTag} Re: ${subject}`.slice(0, 998),
    text,
    inReplyTo: context.messageId,
    references: [...context.references, context.messageId].slice(-50),
  };
}

function templateLines(templates: readonly TemplateSummary[]) {
  return templates.map((template) => `  - ${template.code}: ${template.label}`);
}

/** Mail without a usable workbook: what to attach, which templates exist, how to get one. */
export function helpReply(
  context: ReplyContext,
  templates: readonly TemplateSummary[],
  problems: readonly string[],
): Reply {
  const list = templateLines(templates);
  return reply(context, replyKey("help", context.messageId), {
    id: [
      "Email Anda tidak berisi lampiran Excel (.xlsx) yang dapat diproses.",
      ...(problems.length > 0 ? ["", ...problems.map((problem) => `  * ${problem}`)] : []),
      "",
      "Lampirkan satu atau lebih file .xlsx yang diisi dari templat iSIKHNAS. Templat yang tersedia:",
      ...list,
      "",
      `Untuk menerima templat kosong, kirim email ke ${context.from} dengan subjek: TEMPLATE <kode>`,
    ],
    en: [
      "Your mail has no Excel attachment (.xlsx) that can be processed.",
      ...(problems.length > 0 ? ["", ...problems.map((problem) => `  * ${problem}`)] : []),
      "",
      "Attach one or more .xlsx files filled in from an iSIKHNAS template. Templates available:",
      ...list,
      "",
      `To receive a blank template, mail ${context.from} with the subject: TEMPLATE <code>`,
    ],
  });
}

/** One a day per address: unknown senders who keep writing are not answered every time. */
export function notRegisteredReply(context: ReplyContext, day: string): Reply {
  return reply(context, replyKey("not-registered", context.to, day), {
    id: [
      "Alamat email ini tidak terdaftar di iSIKHNAS.",
      "Hubungi koordinator kabupaten Anda untuk mendaftarkan alamat email Anda.",
    ],
    en: [
      "This e-mail address is not registered with iSIKHNAS.",
      "Ask your district coordinator to register your e-mail address.",
    ],
  });
}

export function refusedReply(
  context: ReplyContext,
  reason: "unverified" | "inactive" | "not-permitted",
): Reply {
  const why = {
    unverified: {
      id: "Alamat email Anda belum diverifikasi.",
      en: "Your e-mail address has not been verified yet.",
    },
    inactive: { id: "Akun Anda tidak aktif.", en: "Your account is not active." },
    "not-permitted": {
      id: "Jenis pengguna Anda tidak diizinkan mengunggah templat.",
      en: "Your user type may not upload templates.",
    },
  }[reason];
  return reply(context, replyKey("refused", context.messageId), {
    id: [`Lampiran Anda tidak diproses. ${why.id}`, "Hubungi koordinator kabupaten Anda."],
    en: [`Your attachments were not processed. ${why.en}`, "Ask your district coordinator."],
  });
}

export function tooLargeReply(context: ReplyContext, limitBytes: number): Reply {
  const megabytes = Math.floor(limitBytes / (1024 * 1024));
  return reply(context, replyKey("too-large", context.messageId), {
    id: [
      `Email Anda melebihi batas ukuran ${megabytes} MB dan tidak diproses.`,
      "Kirim file dalam beberapa email yang lebih kecil.",
    ],
    en: [
      `Your mail is over the size limit of ${megabytes} MB and was not processed.`,
      "Send the files in several smaller mails.",
    ],
  });
}

export function templateReply(
  context: ReplyContext,
  template: TemplateSummary,
  attachment: { key: string; filename: string },
): Reply {
  return {
    ...reply(context, replyKey("template", context.messageId, template.code), {
      id: [`Terlampir templat kosong "${template.label}" (${template.code}).`],
      en: [`Attached is the blank template "${template.label}" (${template.code}).`],
    }),
    attachments: [
      {
        bucket: "emailattachments",
        key: attachment.key,
        filename: attachment.filename,
        contentType: XLSX_CONTENT_TYPE,
      },
    ],
  };
}
