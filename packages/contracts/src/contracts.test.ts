import { describe, expect, it } from "vitest";
import { messageCatalog } from "./catalog.js";
import { parseMailInbound } from "./mail-inbound.js";

const sha = "a".repeat(64);

describe("message catalog", () => {
  it("accepts a valid emailinput and rejects one carrying no bucket reference", () => {
    const message = {
      type: "emailinput",
      version: 1,
      id: `<abc@example.id>:${sha}`,
      environment: "live",
      receivedAt: "2026-11-25T10:00:00+07:00",
      sender: { address: "vet@example.id" },
      recipient: "laporan@isikhnas.example",
      subject: "Lab data",
      messageId: "<abc@example.id>",
      attachment: {
        bucket: "queuefiles",
        key: "k",
        filename: "lab.xlsx",
        contentType: "application/octet-stream",
        size: 10,
        sha256: sha,
      },
      rawMail: { bucket: "rawmail", key: "r" },
    };
    const parsed = messageCatalog.emailinput.parse(message);
    expect(parsed.references).toEqual([]);
    const { attachment: _dropped, ...withoutAttachment } = message;
    expect(messageCatalog.emailinput.safeParse(withoutAttachment).success).toBe(false);
  });

  it("requires emailoutput to name recipients inline or as a list object", () => {
    const base = { type: "emailoutput", version: 1, id: "x", environment: "live", subject: "s", text: "t" };
    expect(messageCatalog.emailoutput.safeParse(base).success).toBe(false);
    expect(messageCatalog.emailoutput.safeParse({ ...base, to: ["a@example.id"] }).success).toBe(true);
    expect(
      messageCatalog.emailoutput.safeParse({
        ...base,
        recipientList: { bucket: "emailattachments", key: "l" },
      }).success,
    ).toBe(true);
  });

  it("rejects a report period that ends before it starts and an unknown version", () => {
    const base = { type: "reportrequest", id: "r", environment: "live", report: "silent-reporters" };
    expect(messageCatalog.reportrequest.safeParse({ ...base, version: 1 }).success).toBe(true);
    expect(messageCatalog.reportrequest.safeParse({ ...base, version: 2 }).success).toBe(false);
    expect(
      messageCatalog.reportrequest.safeParse({
        ...base,
        version: 1,
        period: { from: "2026-02-01", to: "2026-01-01" },
      }).success,
    ).toBe(false);
  });
});

describe("parseMailInbound", () => {
  const sesNotification = {
    notificationType: "Received",
    mail: { messageId: "m1", source: "vet@example.id", destination: ["laporan@isikhnas.example"] },
    receipt: {
      recipients: ["laporan@isikhnas.example"],
      spfVerdict: { status: "PASS" },
      dkimVerdict: { status: "PASS" },
      dmarcVerdict: { status: "FAIL" },
      spamVerdict: { status: "PASS" },
      virusVerdict: { status: "PASS" },
      action: { type: "S3", bucketName: "prod-rawmail", objectKey: "inbound/m1" },
    },
  };

  it("unwraps the SNS form and keeps the verdicts", () => {
    const result = parseMailInbound({
      Type: "Notification",
      MessageId: "n1",
      Message: JSON.stringify(sesNotification),
    });
    expect(result).toEqual({
      ok: true,
      mails: [
        {
          bucket: "prod-rawmail",
          key: "inbound/m1",
          recipients: ["laporan@isikhnas.example"],
          verdicts: { spf: "PASS", dkim: "PASS", dmarc: "FAIL", spam: "PASS", virus: "PASS" },
        },
      ],
    });
  });

  it("reads a plain S3 event and decodes its key", () => {
    const result = parseMailInbound({
      Records: [
        {
          eventSource: "aws:s3",
          eventName: "ObjectCreated:Put",
          s3: { bucket: { name: "prod-rawmail" }, object: { key: "inbound/a+b%2Bc", size: 5 } },
        },
      ],
    });
    expect(result).toEqual({
      ok: true,
      mails: [{ bucket: "prod-rawmail", key: "inbound/a b+c", recipients: [], verdicts: {} }],
    });
  });

  it("explains what it could not read", () => {
    expect(parseMailInbound({ hello: 1 })).toEqual({
      ok: false,
      reason: "neither an SNS notification nor an S3 event",
    });
    const notJson = parseMailInbound({ Type: "Notification", MessageId: "n", Message: "{" });
    expect(notJson).toEqual({ ok: false, reason: "SNS Message is not JSON" });
  });
});
