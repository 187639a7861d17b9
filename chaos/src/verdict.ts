// The chaos run's verdict, counted from where the outcomes are, not from what the daemons
// say about themselves: cases and uploads in PostgreSQL, the files smsd "sent" (sent/),
// quarantined files, the mail the SES emulator received, what the fake Bot API was asked to
// send, and the dead-letter queues.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { Mailbox } from "@isikhnas/devstack";
import { listDeadLetters, QUEUES, type Queryable } from "@isikhnas/platform";
import type { ImItem, Item, MailItem, SmsItem } from "./load.js";

export interface Finding {
  item: number;
  what: string;
}

export interface Verdict {
  itemsIn: number;
  smsItems: number;
  mailItems: number;
  imItems: number;
  recordsExpected: number;
  recordsStored: number;
  repliesExpected: number;
  repliesSent: number;
  lost: number;
  duplicateRecords: number;
  duplicateReplies: number;
  duplicateAlerts: number;
  inDoubt: number;
  inDoubtShare: number;
  deadLetters: { where: string; reason: string; count: number }[];
  /** Examples of each broken promise (the first few), to start looking from. */
  findings: {
    lost: Finding[];
    duplicateRecords: Finding[];
    duplicateReplies: Finding[];
    duplicateAlerts: Finding[];
    inDoubt: Finding[];
  };
  /** Held back when the check had to run before everything settled. */
  settled: boolean;
  broken: string[];
}

const IN_DOUBT_LIMIT = 0.001;
const EXAMPLES = 10;

/** A gateway file name `sms-<row id>-<attempt>-<random>` → the outbound row id. */
function outboundRowId(name: string): number | undefined {
  const match = /^sms-(\d+)-\d+-[0-9a-f]+$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

function note(list: Finding[], finding: Finding) {
  if (list.length < EXAMPLES) list.push(finding);
}

export async function judge(deps: {
  items: readonly Item[];
  db: Queryable;
  sqs: SQSClient;
  prefix: string;
  spoolDir: string;
  sesEndpoint: string;
  /** The IM updates pushed (item index → update_id) and every message the bot sent. */
  im?: {
    botId: string;
    updates: ReadonlyMap<number, number>;
    sent: readonly { message_id: number; chat_id: number | string }[];
  };
  settled: boolean;
}): Promise<Verdict> {
  const { items, db } = deps;
  const findings: Verdict["findings"] = {
    lost: [],
    duplicateRecords: [],
    duplicateReplies: [],
    duplicateAlerts: [],
    inDoubt: [],
  };
  let lost = 0;
  let duplicateRecords = 0;
  let duplicateReplies = 0;
  let inDoubt = 0;
  let recordsStored = 0;
  let repliesSent = 0;
  let repliesExpected = 0;

  // SMS: every sent file, by its outbound row; the rows, their inbound message and case.
  const sentNames = (await readdir(join(deps.spoolDir, "sent"))).filter((name) => !name.startsWith("."));
  const sendsPerRow = new Map<number, number>();
  for (const name of sentNames) {
    const id = outboundRowId(name);
    if (id !== undefined) sendsPerRow.set(id, (sendsPerRow.get(id) ?? 0) + 1);
  }
  const { rows: outbound } = await db.query<{ id: string; kind: string; inbound_message_id: string | null }>(
    "SELECT id::text, kind, inbound_message_id::text FROM outbound_messages WHERE channel = 'sms'",
  );
  const { rows: inbound } = await db.query<{ id: string; external_id: string; case_id: string | null }>(
    `SELECT m.id::text, m.external_id, c.id::text AS case_id
       FROM inbound_messages m LEFT JOIN cases c ON c.inbound_message_id = m.id AND c.deleted_at IS NULL
      WHERE m.channel = 'sms'`,
  );
  const repliesPerInbound = new Map<string, number>();
  let duplicateAlerts = 0;
  for (const row of outbound) {
    const sends = sendsPerRow.get(Number(row.id)) ?? 0;
    if (row.kind === "alert") {
      if (sends > 1)
        note(findings.duplicateAlerts, { item: -1, what: `sms alert row ${row.id}: ${sends} files sent` });
      duplicateAlerts += Math.max(0, sends - 1);
    } else if (row.inbound_message_id) {
      repliesPerInbound.set(
        row.inbound_message_id,
        (repliesPerInbound.get(row.inbound_message_id) ?? 0) + sends,
      );
    }
  }
  // The inbound rows of an item: its file's identity, or its concatenated group's.
  const inboundByKey = new Map<string, typeof inbound>();
  for (const row of inbound) {
    const match =
      /^sms-file:(.+):[0-9a-f]+$/.exec(row.external_id) ?? /^sms-parts:(.+?):/.exec(row.external_id);
    const key = match?.[1];
    if (!key) continue;
    inboundByKey.set(key, [...(inboundByKey.get(key) ?? []), row]);
  }
  const quarantined = new Set(
    (await readdir(join(deps.spoolDir, "quarantine"))).filter((name) => !name.endsWith(".reason")),
  );
  const casesPerReport = new Map<string, { cases: number; first: number }>();

  const smsItems = items.filter((item): item is SmsItem => item.channel === "sms");
  for (const item of smsItems) {
    const key = item.partGroup ?? item.files[0]?.name ?? "";
    const rows = inboundByKey.get(key) ?? [];
    const replies = rows.reduce((sum, row) => sum + (repliesPerInbound.get(row.id) ?? 0), 0);
    const cases = rows.filter((row) => row.case_id !== null).length;
    repliesSent += replies;
    if (item.registered) repliesExpected += 1;
    const inQuarantine = item.files.some((file) => quarantined.has(file.name));
    if (rows.length === 0 || (item.registered && replies === 0)) {
      lost += 1;
      note(findings.lost, {
        item: item.index,
        what: `${item.category} sms ${key} from ${item.sender}: ${rows.length} inbound rows, ${replies} replies sent${inQuarantine ? ", quarantined" : ""}`,
      });
    }
    if (replies > 1) {
      duplicateReplies += replies - 1;
      note(findings.duplicateReplies, {
        item: item.index,
        what: `${item.category} sms ${key}: ${replies} replies sent`,
      });
    }
    if (item.reportKey) {
      const report = casesPerReport.get(item.reportKey) ?? { cases: 0, first: item.index };
      report.cases += cases;
      casesPerReport.set(item.reportKey, report);
    }
  }

  // IM: each update stored once, its inbound message and reply row; every sendMessage the
  // fake answered belongs to the row that recorded its message_id, or it was sent twice
  // (unless its row is in doubt: the bridge died before recording it).
  const imItems = items.filter((item): item is ImItem => item.channel === "im");
  if (deps.im && imItems.length > 0) {
    const im = deps.im;
    const { rows: stored } = await db.query<{ update_id: string; n: number }>(
      "SELECT update_id::text, count(*)::int AS n FROM im_updates WHERE bot_id = $1 GROUP BY update_id",
      [im.botId],
    );
    const storedCount = new Map(stored.map((row) => [Number(row.update_id), row.n]));
    const { rows: imInbound } = await db.query<{ id: string; external_id: string; case_id: string | null }>(
      `SELECT m.id::text, m.external_id, c.id::text AS case_id
         FROM inbound_messages m LEFT JOIN cases c ON c.inbound_message_id = m.id AND c.deleted_at IS NULL
        WHERE m.channel = 'im'`,
    );
    const imInboundByExternal = new Map<string, (typeof imInbound)[number][]>();
    for (const row of imInbound)
      imInboundByExternal.set(row.external_id, [...(imInboundByExternal.get(row.external_id) ?? []), row]);
    const { rows: imRows } = await db.query<{
      address: string;
      status: string;
      external_ref: string | null;
      inbound_message_id: string | null;
    }>(
      `SELECT address, status, external_ref, inbound_message_id::text
         FROM outbound_messages WHERE channel = 'im'`,
    );
    const recorded = new Set<number>();
    const unknownPerChat = new Map<string, number>();
    const rowsPerInbound = new Map<string, (typeof imRows)[number][]>();
    for (const row of imRows) {
      for (const id of row.external_ref?.split(",") ?? []) if (id !== "") recorded.add(Number(id));
      if (row.status === "unknown")
        unknownPerChat.set(row.address, (unknownPerChat.get(row.address) ?? 0) + 1);
      if (row.inbound_message_id)
        rowsPerInbound.set(row.inbound_message_id, [
          ...(rowsPerInbound.get(row.inbound_message_id) ?? []),
          row,
        ]);
    }
    const unrecordedPerChat = new Map<string, number>();
    for (const message of im.sent) {
      if (recorded.has(message.message_id)) continue;
      const chat = String(message.chat_id);
      unrecordedPerChat.set(chat, (unrecordedPerChat.get(chat) ?? 0) + 1);
    }
    for (const [chat, unrecorded] of unrecordedPerChat) {
      const twice = unrecorded - (unknownPerChat.get(chat) ?? 0);
      if (twice <= 0) continue;
      duplicateReplies += twice;
      note(findings.duplicateReplies, {
        item: -1,
        what: `im chat ${chat}: ${unrecorded} messages sent that no row recorded, ${unknownPerChat.get(chat) ?? 0} rows in doubt`,
      });
    }
    for (const item of imItems) {
      repliesExpected += 1;
      const updateId = im.updates.get(item.index);
      const copies = updateId === undefined ? 0 : (storedCount.get(updateId) ?? 0);
      const inboundRows =
        updateId === undefined ? [] : (imInboundByExternal.get(`${im.botId}:${updateId}`) ?? []);
      const replyRows = inboundRows.flatMap((row) => rowsPerInbound.get(row.id) ?? []);
      const sent = replyRows.filter((row) => row.status === "sent" && row.external_ref).length;
      const doubts = replyRows.filter((row) => row.status === "unknown").length;
      repliesSent += sent;
      if (copies === 0 || inboundRows.length === 0 || (sent === 0 && doubts === 0)) {
        lost += 1;
        note(findings.lost, {
          item: item.index,
          what: `${item.category} im update ${updateId ?? "?"} from ${item.chatId}: stored ${copies}, ${inboundRows.length} inbound rows, replies ${replyRows.map((row) => row.status).join(",") || "none"}`,
        });
      }
      if (copies > 1 || inboundRows.length > 1) {
        duplicateRecords += Math.max(copies, inboundRows.length) - 1;
        note(findings.duplicateRecords, {
          item: item.index,
          what: `im update ${updateId}: stored ${copies} times, ${inboundRows.length} inbound rows`,
        });
      }
      if (replyRows.length > 1) {
        duplicateReplies += replyRows.length - 1;
        note(findings.duplicateReplies, {
          item: item.index,
          what: `im update ${updateId}: ${replyRows.length} replies queued`,
        });
      }
      if (doubts > 0) {
        inDoubt += 1;
        note(findings.inDoubt, { item: item.index, what: `reply to im update ${updateId} in doubt` });
      }
      if (item.reportKey) {
        const report = casesPerReport.get(item.reportKey) ?? { cases: 0, first: item.index };
        report.cases += inboundRows.filter((row) => row.case_id !== null).length;
        casesPerReport.set(item.reportKey, report);
      }
    }
  }

  for (const [reportKey, { cases, first }] of casesPerReport) {
    recordsStored += cases;
    if (cases === 0) {
      lost += 1;
      note(findings.lost, { item: first, what: `report "${reportKey}": no case stored` });
    } else if (cases > 1) {
      duplicateRecords += cases - 1;
      note(findings.duplicateRecords, { item: first, what: `report "${reportKey}": ${cases} cases` });
    }
  }
  let recordsExpected = casesPerReport.size;

  // E-mail: the uploads of each item's own address, their rows, and its answers in SES.
  const mailItems = items.filter((item): item is MailItem => item.channel === "mail");
  const { rows: uploads } = await db.query<{ sender_address: string; status: string; rows: number }>(
    `SELECT u.sender_address, u.status, (SELECT count(*)::int FROM vaccination_reports v WHERE v.upload_id = u.id) AS rows
       FROM uploads u`,
  );
  const { rows: doubtful } = await db.query<{ recipient: string; status: string }>(
    "SELECT recipient, status FROM outbound_emails WHERE status IN ('unknown', 'sending')",
  );
  const mail = await new Mailbox(deps.sesEndpoint).list();
  const answersTo = new Map<string, number>();
  for (const sent of mail) {
    for (const to of [...sent.destination.to, ...sent.destination.cc, ...sent.destination.bcc]) {
      const address = /<([^>]+)>/.exec(to)?.[1] ?? to;
      answersTo.set(address.toLowerCase(), (answersTo.get(address.toLowerCase()) ?? 0) + 1);
    }
  }
  // Alerts and reports by mail (to anyone but the items' own addresses): the same body to
  // the same recipient twice is one mail sent twice.
  const itemAddresses = new Set(mailItems.map((item) => item.address));
  const otherMail = new Map<string, number>();
  for (const sent of mail) {
    for (const to of sent.destination.to) {
      const address = (/<([^>]+)>/.exec(to)?.[1] ?? to).toLowerCase();
      if (itemAddresses.has(address)) continue;
      const key = [address, sent.subject, sent.body.text ?? sent.body.html ?? ""].join("\u0000");
      otherMail.set(key, (otherMail.get(key) ?? 0) + 1);
    }
  }
  for (const [key, copies] of otherMail) {
    if (copies < 2) continue;
    duplicateAlerts += copies - 1;
    const [address, subject] = key.split("\u0000");
    note(findings.duplicateAlerts, { item: -1, what: `mail "${subject}" to ${address}: ${copies} copies` });
  }
  for (const item of mailItems) {
    repliesExpected += 1;
    const mine = uploads.filter((upload) => upload.sender_address === item.address);
    const answers = answersTo.get(item.address) ?? 0;
    const doubts = doubtful.filter((row) => row.recipient === item.address).length;
    repliesSent += answers;
    const expectedRows = item.category === "valid-workbook" ? item.rows : 0;
    if (item.category === "valid-workbook") recordsExpected += 1;
    const stored = mine.reduce((sum, upload) => sum + upload.rows, 0);
    if (item.category === "valid-workbook" && stored > 0) recordsStored += 1;
    if (
      mine.length === 0 ||
      (stored < expectedRows && mine.length === 1) ||
      (answers === 0 && doubts === 0)
    ) {
      lost += 1;
      note(findings.lost, {
        item: item.index,
        what: `${item.category} mail from ${item.address}: ${mine.length} uploads (${mine.map((u) => u.status).join(",")}), ${stored}/${expectedRows} rows, ${answers} answers`,
      });
    }
    if (mine.length > 1 || stored > expectedRows) {
      duplicateRecords += Math.max(mine.length - 1, stored > expectedRows ? 1 : 0);
      note(findings.duplicateRecords, {
        item: item.index,
        what: `mail from ${item.address}: ${mine.length} uploads, ${stored}/${expectedRows} rows`,
      });
    }
    if (answers > 1) {
      duplicateReplies += answers - 1;
      note(findings.duplicateReplies, {
        item: item.index,
        what: `mail from ${item.address}: ${answers} answers`,
      });
    }
    // In doubt: the sender could not know whether SES took the answer (it may have).
    if (doubts > 0) {
      inDoubt += 1;
      note(findings.inDoubt, {
        item: item.index,
        what: `answer to ${item.address}: ${doubts} row(s) in doubt, ${answers} in the SES store`,
      });
    }
  }

  // Dead letters: every queue's dead-letter queue, and the gateway's quarantine.
  const deadLetters = new Map<string, { where: string; reason: string; count: number }>();
  const count = (where: string, reason: string) => {
    const key = `${where}\u0000${reason}`;
    const entry = deadLetters.get(key) ?? { where, reason, count: 0 };
    entry.count += 1;
    deadLetters.set(key, entry);
  };
  for (const queue of QUEUES) {
    const letters = await listDeadLetters(deps.sqs, deps.prefix, queue, { max: 1000, peekSeconds: 30 });
    for (const letter of letters)
      count(`${queue}-dlq`, letter.reason ?? "received too often (redrive policy)");
  }
  for (const name of quarantined) {
    const reason = await readFile(join(deps.spoolDir, "quarantine", `${name}.reason`), "utf8").catch(
      () => "?",
    );
    count("sms quarantine", reason.split("\n")[0]?.slice(0, 120) ?? "?");
  }

  const inDoubtShare = repliesExpected === 0 ? 0 : inDoubt / repliesExpected;
  const broken: string[] = [];
  if (!deps.settled) broken.push("the stack did not settle within the time limit");
  if (lost > 0) broken.push(`lost ${lost}`);
  if (duplicateRecords > 0) broken.push(`duplicate records ${duplicateRecords}`);
  if (duplicateReplies > 0) broken.push(`duplicate replies ${duplicateReplies}`);
  if (duplicateAlerts > 0) broken.push(`duplicate alerts ${duplicateAlerts}`);
  if (inDoubtShare > IN_DOUBT_LIMIT) broken.push(`in doubt ${(inDoubtShare * 100).toFixed(2)} % > 0.1 %`);
  return {
    itemsIn: items.length,
    smsItems: smsItems.length,
    mailItems: mailItems.length,
    imItems: imItems.length,
    recordsExpected,
    recordsStored,
    repliesExpected,
    repliesSent,
    lost,
    duplicateRecords,
    duplicateReplies,
    duplicateAlerts,
    inDoubt,
    inDoubtShare,
    deadLetters: [...deadLetters.values()].sort((a, b) => b.count - a.count),
    findings,
    settled: deps.settled,
    broken,
  };
}
