// What the outside world does during the chaos run: smsd writing received messages into
// incoming/ and sending what the gateway leaves in outgoing/, and SES storing received
// mail in the rawmail bucket and announcing it on mailinbound.
import { mkdir, readdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { metadata, VACCINATION_HEADER, vaccinationRows, workbookBuffer } from "@isikhnas/workbooks/testing";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { isSpoolMessageName } from "../../apps/sms-gateway/src/spool/layout.js";
import { incomingContent } from "../../apps/sms-gateway/src/testing/gateway.js";
import { type MailItem, nationalForm, type SmsItem } from "./load.js";
import { INGEST_ADDRESS } from "./stack.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** smsd's timestamp format (local time), as it writes `Received:`. */
function smsdTime(date: Date): string {
  const two = (value: number) => String(value).padStart(2, "0");
  return `${two(date.getFullYear() % 100)}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** Writes an item's files into incoming/ as smsd does: a hidden name, then a rename. */
export async function deliverSms(spoolDir: string, item: SmsItem): Promise<void> {
  const incoming = join(spoolDir, "incoming");
  const received = smsdTime(new Date());
  for (const file of item.files) {
    const content = incomingContent({
      from: nationalForm(item.sender),
      text: file.text,
      received,
      ...(file.udh ? { udh: file.udh } : {}),
    });
    await writeFile(join(incoming, `.${file.name}`), content);
    await rename(join(incoming, `.${file.name}`), join(incoming, file.name));
  }
}

/** The item's workbook: valid rows of its own day, or the same with an unknown species. */
export async function mailWorkbook(item: MailItem): Promise<Buffer> {
  const rows = vaccinationRows(item.rows, new Date(`${item.day}T00:00:00Z`));
  for (const row of rows) row[6] = `Vaksinator ${item.index}`;
  if (item.category === "invalid-workbook")
    rows[item.rows - 1] = ["101", item.day, "72060201", "XX", 5, 0, ""];
  return workbookBuffer([
    { name: "Vaksinasi", rows: [VACCINATION_HEADER, ...rows] },
    metadata("vaccination_tally"),
  ]);
}

export class MailInbound {
  private queueUrl: string | undefined;

  constructor(private readonly deps: { sqs: SQSClient; s3: S3Client; prefix: string }) {}

  /** Stores the raw mail as SES's receipt rule would and sends the S3 event (twice if planned). */
  async deliver(item: MailItem): Promise<void> {
    const raw = await new MailComposer({
      from: item.address,
      to: INGEST_ADDRESS,
      subject: "Rekap vaksinasi",
      text: "Terlampir rekap vaksinasi.",
      messageId: item.messageId,
      attachments: [
        { filename: `vaksinasi-${item.index}.xlsx`, content: await mailWorkbook(item), contentType: XLSX },
      ],
    })
      .compile()
      .build();
    const bucket = `${this.deps.prefix}rawmail`;
    const key = `inbound/${item.index}`;
    await this.deps.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: raw, ContentType: "message/rfc822" }),
    );
    this.queueUrl ??= (
      await this.deps.sqs.send(new GetQueueUrlCommand({ QueueName: `${this.deps.prefix}mailinbound` }))
    ).QueueUrl;
    const event = JSON.stringify({
      Records: [
        {
          eventVersion: "2.1",
          eventSource: "aws:s3",
          awsRegion: "us-east-1",
          eventName: "ObjectCreated:Put",
          s3: { bucket: { name: bucket }, object: { key, size: raw.length } },
        },
      ],
    });
    for (let copy = 0; copy < (item.notifiedTwice ? 2 : 1); copy += 1) {
      await this.deps.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: event }));
    }
  }
}

/**
 * smsd's sending side, with a modem that never fails: every file the gateway leaves in
 * outgoing/ is "sent" and moved to sent/ under its own name (`keep_filename = yes`).
 */
export function startSmsd(spoolDir: string, intervalMs = 100): { stop(): Promise<void> } {
  const outgoing = join(spoolDir, "outgoing");
  const sent = join(spoolDir, "sent");
  let stopping = false;
  const loop = (async () => {
    await mkdir(sent, { recursive: true });
    while (!stopping) {
      for (const name of (await readdir(outgoing)).filter(isSpoolMessageName)) {
        await rename(join(outgoing, name), join(sent, name)).catch(() => undefined);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
    },
  };
}
