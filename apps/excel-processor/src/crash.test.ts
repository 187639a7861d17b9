// A processor that dies after its import committed but before its answer went out: the
// redelivered message must neither import again nor answer differently. An import that
// fails after some of its chunks were written leaves nothing behind, and its redelivery
// imports every row once.
import { SQSClient } from "@aws-sdk/client-sqs";
import { waitFor } from "@isikhnas/devstack/testing";
import { DEMO_USERS } from "@isikhnas/domain";
import { createLogger, createProducer, type HandlerContext } from "@isikhnas/platform";
import { DEFAULT_LIMITS } from "@isikhnas/workbooks";
import { VACCINATION_HEADER, vaccinationRows, workbookBuffer } from "@isikhnas/workbooks/testing";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { CodeListCache } from "./code-lists.js";
import { type Harness, startHarness } from "./testing/harness.js";
import { createUploadHandler, type UploadHandlerDeps } from "./upload-handler.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
  // The daemon's own consumer stays out of this test: the handler is driven by hand.
  await harness.app.stop();
});
afterAll(() => harness?.close());

function settings(errorWorkbookMaxRows = 1000): UploadHandlerDeps["settings"] {
  return {
    systemTag: "[iSIKHNAS]",
    limits: DEFAULT_LIMITS,
    errorWorkbookMaxRows,
    statementTimeoutMs: 60_000,
  };
}

function context(): HandlerContext {
  return {
    messageId: "m",
    receiveCount: 1,
    correlationId: "c",
    attributes: {},
    logger: createLogger({ name: "crash-test", level: "silent" }),
    signal: new AbortController().signal,
    progress: () => {},
  };
}

describe("a crash between the import's commit and the answer", () => {
  it("leads to one import and one answer when the message comes back", async () => {
    const db = harness.db;
    // SQS unreachable: the answer cannot be sent, as when the process dies at that point.
    const deadSqs = new SQSClient({
      region: "us-east-1",
      endpoint: "http://127.0.0.1:9",
      credentials: { accessKeyId: "x", secretAccessKey: "x" },
      maxAttempts: 1,
    });
    const base: Omit<UploadHandlerDeps, "producer"> = {
      databases: { live: db },
      buckets: harness.buckets,
      codeLists: new CodeListCache(),
      settings: settings(),
    };
    const crashing = createUploadHandler({
      ...base,
      producer: createProducer({ sqs: deadSqs }, { prefix: harness.stack.prefix }),
    });
    const healthy = createUploadHandler({ ...base, producer: harness.producer });
    try {
      const file = await workbookBuffer([
        { name: "Vaksinasi", rows: [VACCINATION_HEADER, ...vaccinationRows(12)] },
      ]);
      const message = await harness.stage(file, {
        from: DEMO_USERS.paravet.email,
        filename: "crash.xlsx",
        messageId: "<crash@demo>",
      });
      const sha = message.attachment.sha256;

      await expect(crashing(message, context())).rejects.toThrow();
      const committed = await db.query<{ id: string; status: string; answer_sent_at: Date | null }>(
        "SELECT id, status, answer_sent_at FROM uploads WHERE content_sha256 = $1",
        [sha],
      );
      expect(committed.rows[0]).toMatchObject({ status: "imported", answer_sent_at: null });
      const uploadId = committed.rows[0]?.id;

      expect(await healthy(message, context())).toEqual({ kind: "done" });
      expect(await healthy(message, context())).toEqual({ kind: "done" });
      const answers = await waitFor(async () => {
        const mine = (await harness.outbox.poll()).filter((mail) => mail.inReplyTo === "<crash@demo>");
        return mine.length > 0 ? mine : undefined;
      });
      expect(answers).toHaveLength(1);
      expect(answers[0]?.id).toBe(`excel-processor:upload:live:${uploadId}`);
      const rows = await db.query("SELECT count(*)::int AS n FROM vaccination_reports WHERE upload_id = $1", [
        uploadId,
      ]);
      expect(rows.rows[0]).toEqual({ n: 12 });
      const uploads = await db.query("SELECT count(*)::int AS n FROM uploads WHERE content_sha256 = $1", [
        sha,
      ]);
      expect(uploads.rows[0]).toEqual({ n: 1 });
    } finally {
      deadSqs.destroy();
    }
  });
});

describe("an import that fails midway", () => {
  it("leaves none of the rows it had written, and its redelivery imports every row once", async () => {
    const db = harness.db;
    // The database fails the first statement that adds rows to an upload already holding
    // some (the second chunk of a workbook read in chunks), once.
    await db.query(`
      CREATE SEQUENCE fail_midway_once;
      CREATE FUNCTION fail_midway() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM vaccination_reports v
                   WHERE v.upload_id IN (SELECT upload_id FROM added) AND v.id NOT IN (SELECT id FROM added))
           AND nextval('fail_midway_once') = 1 THEN
          RAISE EXCEPTION 'failing midway through the import';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER fail_midway AFTER INSERT ON vaccination_reports
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION fail_midway();`);
    onTestFinished(async () => {
      await db.query(`DROP TRIGGER fail_midway ON vaccination_reports;
        DROP FUNCTION fail_midway(); DROP SEQUENCE fail_midway_once;`);
    });
    const handler = createUploadHandler({
      databases: { live: db },
      buckets: harness.buckets,
      codeLists: new CodeListCache(),
      settings: settings(),
      producer: harness.producer,
    });
    const rows = 5_000;
    const file = await workbookBuffer([
      { name: "Vaksinasi", rows: [VACCINATION_HEADER, ...vaccinationRows(rows)] },
    ]);
    const message = await harness.stage(file, {
      from: DEMO_USERS.paravet.email,
      filename: "midway.xlsx",
      messageId: "<midway@demo>",
    });
    const sha = message.attachment.sha256;
    const imported = () =>
      db.query<{ uploads: number; rows: number }>(
        `SELECT count(DISTINCT u.id)::int AS uploads, count(v.id)::int AS rows
         FROM uploads u LEFT JOIN vaccination_reports v ON v.upload_id = u.id WHERE u.content_sha256 = $1`,
        [sha],
      );

    await expect(handler(message, context())).rejects.toThrow(/failing midway/);
    expect((await imported()).rows[0]).toEqual({ uploads: 0, rows: 0 });

    expect(await handler(message, context())).toEqual({ kind: "done" });
    expect((await imported()).rows[0]).toEqual({ uploads: 1, rows });
    const answers = await waitFor(async () => {
      const mine = (await harness.outbox.poll()).filter((mail) => mail.inReplyTo === "<midway@demo>");
      return mine.length > 0 ? mine : undefined;
    });
    expect(answers).toHaveLength(1);
    expect(answers[0]?.text).toContain(`${rows} baris`);
  });
});
