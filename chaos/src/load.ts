// The chaos run's load and disruption schedule, derived from one seed: every inbound item
// (SMS files as smsd writes them, e-mails as SES stores them, IM text updates as Telegram
// serves them) with the outcome it must
// have, and when each daemon is killed. The same seed gives the same plan.
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";

export type SmsCategory =
  | "report"
  | "priority"
  | "repeat"
  | "multipart"
  | "query"
  | "format-error"
  | "unknown-sender";

export interface SmsFile {
  name: string;
  text: string;
  /** UDH-DATA of a concatenated part. */
  udh?: string;
}

export interface SmsItem {
  channel: "sms";
  index: number;
  category: SmsCategory;
  /** International form (62…); the file carries the national form a handset shows. */
  sender: string;
  registered: boolean;
  files: SmsFile[];
  /** Items with the same key are one data report: exactly one case between them. */
  reportKey?: string;
  /** The gateway's group key of a concatenated message (`<sender>_<ref>_<total>`). */
  partGroup?: string;
}

export interface MailItem {
  channel: "mail";
  index: number;
  category: "valid-workbook" | "invalid-workbook";
  /** A sender address of this item alone, so its answers are told apart in the SES store. */
  address: string;
  messageId: string;
  /** Vaccination rows in the workbook; a valid one stores exactly these. */
  rows: number;
  /** First day of the workbook's rows: every item's rows are its own. */
  day: string;
  /** SES notifies twice (at-least-once delivery of the receipt notification). */
  notifiedTwice: boolean;
}

export interface ImItem {
  channel: "im";
  index: number;
  category: "im-report" | "im-repeat" | "im-query";
  /** The Telegram user (a private chat has the user's id), linked to a registered reporter. */
  chatId: number;
  text: string;
  /** Items with the same key are one data report: exactly one case between them. */
  reportKey?: string;
}

export type Item = SmsItem | MailItem | ImItem;

/**
 * Kills follow one another (each `afterMs` after the one before) while items are fed and
 * for a while after; the PostgreSQL restart and the emulator stall happen when the feed
 * reaches their item, whatever the machine's speed.
 */
export type Disruption =
  | { kind: "kill"; afterMs: number; daemon: string }
  | { kind: "restart-postgres"; atItem: number }
  | { kind: "stall-emulator"; atItem: number; forMs: number };

export interface Plan {
  seed: number;
  items: Item[];
  /** When each item is fed, ms from the start of the feed. */
  feedAtMs: number[];
  feedMs: number;
  disruptions: Disruption[];
  /** Registered SMS senders the run adds (user type → phones), besides the demo users. */
  extraPhones: Record<ReporterType, string[]>;
  /** Vaccination uploaders' addresses the run adds to the demo paravet. */
  mailAddresses: string[];
  /** Linked Telegram ids the run adds (user type → ids), as `im` contacts of the demo users. */
  extraImIds: Record<ReporterType, string[]>;
}

export type ReporterType = "village_reporter" | "paravet" | "inseminator" | "champion";
export const REPORTER_TYPES: readonly ReporterType[] = [
  "village_reporter",
  "paravet",
  "inseminator",
  "champion",
];

export interface PlanOptions {
  seed: number;
  items: number;
  /** Items fed per second. */
  rate: number;
  daemons: readonly string[];
  /** Mean interval between kills (each one 0.75–1.25 × this). */
  killEveryMs: number;
  /** How long the kills go on after the last item is fed (the backlog is worked off under them). */
  killTailMs: number;
  /** Registered phones added per reporter type. */
  phonesPerType?: number;
}

const SIGNS = ["MC", "DM", "BT", "LM", "NM", "MC,DM", "BT,SN"];
const SPECIES = ["SP", "KB", "AY", "BB", "KR"];
const QUERIES = ["?", "KODE SP", "KODE", "KODE SX"];
const FORMAT_ERRORS = ["U mc,dm", "P ai", "U", "LAB 12", "U mc,dm sp banyak"];

/** Weighted categories of an item, in tenths of a percent. */
const MIX: readonly [Item["category"], number][] = [
  ["report", 350],
  ["priority", 40],
  ["repeat", 110],
  ["multipart", 80],
  ["query", 100],
  ["format-error", 100],
  ["unknown-sender", 90],
  ["valid-workbook", 36],
  ["invalid-workbook", 24],
  ["im-report", 40],
  ["im-repeat", 15],
  ["im-query", 15],
];

function pick<T>(rng: RandomGenerator, values: readonly T[]): T {
  return values[uniformInt(rng, 0, values.length - 1)] as T;
}

function category(rng: RandomGenerator): Item["category"] {
  let roll = uniformInt(rng, 0, 999);
  for (const [name, weight] of MIX) {
    if (roll < weight) return name;
    roll -= weight;
  }
  return "report";
}

/** The national form a handset shows (`08…`). */
export function nationalForm(international: string): string {
  return `0${international.slice(2)}`;
}

export function buildPlan(options: PlanOptions): Plan {
  const rng = xoroshiro128plus(options.seed);
  const tag = `c${options.seed}`;
  const phonesPerType = options.phonesPerType ?? 25;
  const extraPhones = Object.fromEntries(
    REPORTER_TYPES.map((type, typeIndex) => [
      type,
      Array.from({ length: phonesPerType }, (_, k) => `62812${typeIndex}${String(k).padStart(6, "0")}`),
    ]),
  ) as Record<ReporterType, string[]>;
  const senders = REPORTER_TYPES.flatMap((type) => extraPhones[type]);
  const extraImIds = Object.fromEntries(
    REPORTER_TYPES.map((type, typeIndex) => [
      type,
      Array.from({ length: 5 }, (_, k) => `91${typeIndex}${String(k).padStart(6, "0")}`),
    ]),
  ) as Record<ReporterType, string[]>;
  const chats = REPORTER_TYPES.flatMap((type) => extraImIds[type]).map(Number);
  const items: Item[] = [];
  const reports: SmsItem[] = [];
  const imReports: ImItem[] = [];
  const mailAddresses: string[] = [];
  let reference = 0;

  for (let index = 0; index < options.items; index += 1) {
    const kind = category(rng);
    const name = `GSM1.${tag}-${String(index).padStart(6, "0")}`;
    // The animal count carries the item's index, so no two reports share a text by chance:
    // only the deliberate repeats fall under the 10-minute duplicate rule.
    const count = index + 1;
    const sender = pick(rng, senders);
    const report = `U ${pick(rng, SIGNS)} ${pick(rng, SPECIES)} ${count} 72060202`;
    switch (kind) {
      case "report":
      case "priority": {
        const text = kind === "report" ? report : `P ai ay ${count} 72060202 hpai`;
        const item: SmsItem = {
          channel: "sms",
          index,
          category: kind,
          sender,
          registered: true,
          files: [{ name, text }],
          reportKey: `${sender}|${text}`,
        };
        reports.push(item);
        items.push(item);
        break;
      }
      case "repeat": {
        // The same text from the same sender a few items later: one case, two replies.
        const original = reports.at(-uniformInt(rng, 1, Math.min(5, Math.max(1, reports.length))));
        if (!original?.reportKey) {
          items.push({
            channel: "sms",
            index,
            category: "query",
            sender,
            registered: true,
            files: [{ name, text: "?" }],
          });
          break;
        }
        items.push({
          channel: "sms",
          index,
          category: "repeat",
          sender: original.sender,
          registered: true,
          files: [{ name, text: original.files.map((file) => file.text).join("") }],
          reportKey: original.reportKey,
        });
        break;
      }
      case "multipart": {
        reference += 1;
        const ref = reference.toString(16).padStart(4, "0").toUpperCase();
        const udh = (part: number) => `06 08 04 ${ref.slice(0, 2)} ${ref.slice(2)} 02 0${part}`;
        const cut = report.indexOf(" ", 6);
        const item: SmsItem = {
          channel: "sms",
          index,
          category: "multipart",
          sender,
          registered: true,
          files: [
            { name: `${name}-1`, text: report.slice(0, cut), udh: udh(1) },
            { name: `${name}-2`, text: report.slice(cut), udh: udh(2) },
          ],
          reportKey: `${sender}|${report}`,
          partGroup: `${sender}_${reference}_2`,
        };
        reports.push(item);
        items.push(item);
        break;
      }
      case "query":
      case "format-error":
        items.push({
          channel: "sms",
          index,
          category: kind,
          sender,
          registered: true,
          files: [{ name, text: pick(rng, kind === "query" ? QUERIES : FORMAT_ERRORS) }],
        });
        break;
      case "unknown-sender":
        items.push({
          channel: "sms",
          index,
          category: kind,
          sender: `62813${String(index).padStart(7, "0")}`,
          registered: false,
          files: [{ name, text: report }],
        });
        break;
      case "valid-workbook":
      case "invalid-workbook": {
        const address = `paravet+${tag}-${index}@demo.isikhnas.example.org`;
        mailAddresses.push(address);
        const day = new Date(Date.UTC(2023, 0, 1) + index * 86_400_000).toISOString().slice(0, 10);
        items.push({
          channel: "mail",
          index,
          category: kind,
          address,
          messageId: `<${tag}-${index}@mail.chaos.example>`,
          rows: uniformInt(rng, 3, 12),
          day,
          notifiedTwice: uniformInt(rng, 0, 4) === 0,
        });
        break;
      }
      case "im-report":
      case "im-query": {
        const chatId = pick(rng, chats);
        if (kind === "im-query") {
          items.push({ channel: "im", index, category: kind, chatId, text: pick(rng, QUERIES) });
          break;
        }
        const item: ImItem = {
          channel: "im",
          index,
          category: kind,
          chatId,
          text: report,
          reportKey: `im:${chatId}|${report}`,
        };
        imReports.push(item);
        items.push(item);
        break;
      }
      case "im-repeat": {
        // The same text from the same chat a few items later: one case, two replies.
        const original = imReports.at(-uniformInt(rng, 1, Math.min(5, Math.max(1, imReports.length))));
        const chatId = original?.chatId ?? pick(rng, chats);
        items.push(
          original?.reportKey
            ? {
                channel: "im",
                index,
                category: "im-repeat",
                chatId,
                text: original.text,
                reportKey: original.reportKey,
              }
            : { channel: "im", index, category: "im-query", chatId, text: "?" },
        );
        break;
      }
    }
  }

  const feedAtMs = items.map((_, index) => Math.round((index * 1000) / options.rate));
  const feedMs = feedAtMs.at(-1) ?? 0;
  const disruptions: Disruption[] = [
    { kind: "restart-postgres", atItem: Math.floor(items.length * 0.4) },
    {
      kind: "stall-emulator",
      atItem: Math.floor(items.length * 0.65),
      forMs: uniformInt(rng, 5_000, 10_000),
    },
  ];
  // Enough kills for a feed three times slower than planned; the run stops them in time.
  for (let total = 0; total < 3 * feedMs + options.killTailMs + 60_000; ) {
    const afterMs = Math.round(options.killEveryMs * (0.75 + uniformInt(rng, 0, 500) / 1000));
    disruptions.push({ kind: "kill", afterMs, daemon: pick(rng, options.daemons) });
    total += afterMs;
  }
  return {
    seed: options.seed,
    items,
    feedAtMs,
    feedMs,
    disruptions,
    extraPhones,
    mailAddresses,
    extraImIds,
  };
}
