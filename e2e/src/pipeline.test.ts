// Excel uploads end to end: a raw mail into email-ingest's pipe, excel-processor and
// email-sender as real processes, and the outcome read where a person would see it: rows
// in the database, the answer (and its attachment) in the SES emulator.
import { type ChildProcess, execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor, waitForQueueDrained } from "@isikhnas/devstack/testing";
import { queueStats } from "@isikhnas/platform";
import { ERROR_FILL_ARGB, ERROR_SUMMARY_SHEET } from "@isikhnas/workbooks";
import {
  LAB_SUBMISSIONS_HEADER,
  metadata,
  readWorkbook,
  vaccinationRows,
  workbookBuffer,
} from "@isikhnas/workbooks/testing";
import type ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INGEST_ADDRESS, openPipeline, type Pipeline, rawMail } from "./pipeline.js";
import { stopProcess } from "./process.js";

/** Nothing left to do: both queues between the daemons are empty, nothing in flight. */
async function settled(pipeline: Pipeline): Promise<void> {
  await waitForQueueDrained(pipeline.stack, "emailinput", { timeoutMs: 60_000 });
  await waitForQueueDrained(pipeline.stack, "emailoutput", { timeoutMs: 60_000 });
}

function fillOf(sheet: ExcelJS.Worksheet | undefined, address: string): string | undefined {
  return (sheet?.getCell(address).fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb;
}

/** Six rows from the blank template with four errors in rows 3, 5 and 6 of the sheet. */
function rowsWithErrors(start: Date): unknown[][] {
  const rows = vaccinationRows(6, start);
  const day = start.toISOString().slice(0, 10);
  rows[1] = ["101", day, "72060202", "XX", 5, 0, ""]; // unknown species
  rows[3] = ["999", day, "73080101", "SP", 5, 0, ""]; // unknown program, village outside the areas
  rows[4] = [...(rows[0] ?? [])]; // the same program, date, village and species as row 2
  return rows;
}

// One processor for the whole group: a consumer stopped between tests leaves its aborted
// long poll behind in the queue emulator, which would take the next test's message.
describe("through the running pipeline", () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await openPipeline();
    pipeline.startProcessor();
    pipeline.startReportGenerator();
  });
  afterAll(() => pipeline?.close());

  it("answers a lab upload and mails the submitter one client report PDF per submission", async () => {
    const sender = await pipeline.senderAddress("lab_staff");
    const { rows } = await pipeline.db.query<{ id: number }>(
      `INSERT INTO cases (kind, reporter_id, location_id, species_code, animal_count, reported_at)
       SELECT 'U', u.id, l.id, 'SP', 3, now() FROM users u CROSS JOIN locations l
       WHERE u.user_type = 'lab_staff' AND l.code = '73080101' RETURNING id::int`,
    );
    const caseId = rows[0]?.id;
    const file = await workbookBuffer([
      {
        name: "Pengiriman",
        rows: [
          LAB_SUBMISSIONS_HEADER,
          [caseId, "2025-06-01", "73080101", "SP", "FES", "SG", "PAR", 2, 730801, `E2E-${pipeline.stack.id}`],
        ],
      },
      metadata("lab_submissions"),
    ]);
    expect(await pipeline.pipeMail(await rawMail(sender, file, "lab-juni.xlsx"))).toBe(0);
    // The upload's confirmation, and the client report from report-generator.
    const answers = await pipeline.answersTo(sender, 2);
    const report = answers.find((mail) => mail.subject.includes("Laporan klien laboratorium"));
    expect(report?.subject).toMatch(/^\[iSIKHNAS\] · Laporan klien laboratorium · Laboratorium Keswan Bone/);
    const pdf = report?.attachments.find((attachment) => attachment.filename?.endsWith(".pdf"));
    expect(pdf?.contentType).toBe("application/pdf");
    const dir = await mkdtemp(join(tmpdir(), "e2e-lab-report-"));
    try {
      await writeFile(join(dir, "report.pdf"), Buffer.from(pdf?.content ?? "", "base64"));
      const text = execFileSync("pdftotext", ["-layout", join(dir, "report.pdf"), "-"])
        .toString()
        .replace(/\s+/g, " ");
      expect(text).toContain("Laboratorium Keswan Bone");
      expect(text).toContain(`E2E-${pipeline.stack.id}`);
      expect(text).toContain("Feses");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await waitForQueueDrained(pipeline.stack, "reportrequest", { timeoutMs: 60_000 });
  }, 120_000);

  /** Mails the error workbook's source and returns the answer's attached workbook. */
  async function errorWorkbookFor(start: Date, filename: string) {
    const sender = await pipeline.senderAddress("paravet");
    const file = await pipeline.vaccinationWorkbook(rowsWithErrors(start));
    expect(await pipeline.pipeMail(await rawMail(sender, file, filename))).toBe(0);
    const [answer] = await pipeline.answersTo(sender);
    const [attachment] = answer?.attachments ?? [];
    return {
      sender,
      answer,
      attachment,
      book: await readWorkbook(Buffer.from(attachment?.content ?? "", "base64")),
    };
  }

  it("imports a valid workbook and mails its sender the confirmation", async () => {
    const sender = await pipeline.senderAddress("paravet");
    const file = await pipeline.vaccinationWorkbook(vaccinationRows(25, new Date(Date.UTC(2025, 5, 1))));
    expect(await pipeline.pipeMail(await rawMail(sender, file, "vaksinasi-juni.xlsx"))).toBe(0);

    const [answer] = await pipeline.answersTo(sender);
    const [upload] = await pipeline.uploadsFrom(sender);
    expect(upload).toMatchObject({ status: "imported", row_count: 25 });
    expect(await pipeline.count("SELECT 1 FROM vaccination_reports WHERE upload_id = $1", [upload?.id])).toBe(
      25,
    );
    expect(answer?.subject).toBe(`[iSIKHNAS] Berhasil disimpan: Rekap vaksinasi (unggahan ${upload?.id})`);
    expect(answer?.body.text).toContain(
      `vaksinasi-juni.xlsx berhasil disimpan sebagai unggahan ${upload?.id}`,
    );
    expect(answer?.body.text).toContain("25 baris");
    expect(answer?.from).toContain(INGEST_ADDRESS);
    // A confirmation carries no file: the only workbook an upload answer attaches is the
    // error workbook (lab uploads get their client reports from the report generator).
    expect(answer?.attachments).toEqual([]);
    await waitFor(async () => (await pipeline.uploadsFrom(sender))[0]?.answer_sent_at instanceof Date, {
      description: "the answer recorded as sent",
    });
  });

  it("imports nothing from a workbook with errors and mails it back with the bad cells marked", async () => {
    const { sender, answer, attachment, book } = await errorWorkbookFor(
      new Date(Date.UTC(2025, 6, 1)),
      "salah.xlsx",
    );
    expect(answer?.subject).toBe("[iSIKHNAS] Tidak disimpan, 4 kesalahan: Rekap vaksinasi");
    const [upload] = await pipeline.uploadsFrom(sender);
    expect(upload).toMatchObject({ status: "rejected", error_count: 4 });
    expect(await pipeline.count("SELECT 1 FROM vaccination_reports WHERE upload_id = $1", [upload?.id])).toBe(
      0,
    );
    expect(
      await pipeline.count(
        "SELECT 1 FROM vaccination_reports WHERE vaccinated_on BETWEEN '2025-07-01' AND '2025-07-31'",
      ),
    ).toBe(0);

    expect(answer?.attachments).toHaveLength(1);
    expect(attachment).toMatchObject({
      filename: "salah-kesalahan.xlsx",
      contentType: expect.stringContaining("spreadsheetml"),
    });
    const sheet = book.getWorksheet("Vaksinasi");
    expect(fillOf(sheet, "D3")).toBe(ERROR_FILL_ARGB);
    expect(String(sheet?.getCell("D3").note)).toContain("Kode tidak ada di daftar SP");
    expect(fillOf(sheet, "A5")).toBe(ERROR_FILL_ARGB);
    expect(String(sheet?.getCell("A5").note)).toContain("Program vaksinasi tidak dikenal");
    expect(fillOf(sheet, "C5")).toBe(ERROR_FILL_ARGB);
    expect(String(sheet?.getCell("C5").note)).toContain("Di luar wilayah tanggung jawab Anda");
    expect(fillOf(sheet, "A6")).toBe(ERROR_FILL_ARGB);
    expect(String(sheet?.getCell("A6").note)).toContain("(baris 2)");
    // Cells without an error carry no note, and the sender's data is there as sent.
    expect(sheet?.getCell("D2").note).toBeUndefined();
    expect(fillOf(sheet, "D2")).toBeUndefined();
    expect(sheet?.getCell("D3").value).toBe("XX");
    const summary = book.getWorksheet(ERROR_SUMMARY_SHEET.id);
    expect(summary?.getCell("A1").value).toBe("4 kesalahan ditemukan. Tidak ada data yang disimpan.");
  });

  // In a workbook made from the blank template the cells of a formatted column (Program,
  // Desa) share one style object; the error workbook must mark only the bad cells.
  it("leaves the valid cells of a blank-template workbook unmarked", async () => {
    const { book } = await errorWorkbookFor(new Date(Date.UTC(2025, 10, 1)), "salah-lagi.xlsx");
    const sheet = book.getWorksheet("Vaksinasi");
    expect(fillOf(sheet, "A5")).toBe(ERROR_FILL_ARGB);
    expect(fillOf(sheet, "A2")).toBeUndefined();
    expect(fillOf(sheet, "C2")).toBeUndefined();
  });

  it("refuses, in email-ingest, a sender whose user type uploads no template at all", async () => {
    const sender = await pipeline.senderAddress("viewer");
    const file = await pipeline.vaccinationWorkbook(vaccinationRows(3, new Date(Date.UTC(2025, 7, 1))));
    expect(await pipeline.pipeMail(await rawMail(sender, file, "vaksinasi.xlsx"))).toBe(0);

    const [answer] = await pipeline.answersTo(sender);
    expect(answer?.subject).toBe("[iSIKHNAS] Re: Laporan vaksinasi");
    expect(answer?.body.text).toContain("Lampiran Anda tidak diproses.");
    expect(answer?.body.text).toContain("Jenis pengguna Anda tidak diizinkan mengunggah templat.");
    expect(answer?.attachments).toEqual([]);
    await settled(pipeline);
    expect(await pipeline.uploadsFrom(sender)).toEqual([]);
    expect(
      await pipeline.count(
        "SELECT 1 FROM vaccination_reports WHERE vaccinated_on BETWEEN '2025-08-01' AND '2025-08-31'",
      ),
    ).toBe(0);
    expect(await pipeline.stack.mailbox.to(sender)).toHaveLength(1);
  });

  it("refuses, in excel-processor, a sender whose user type may not upload this template", async () => {
    // The abattoir reporter may upload monthly slaughter, so email-ingest lets the mail in.
    const sender = await pipeline.senderAddress("abattoir_reporter");
    const file = await pipeline.vaccinationWorkbook(vaccinationRows(3, new Date(Date.UTC(2025, 8, 1))));
    expect(await pipeline.pipeMail(await rawMail(sender, file, "vaksinasi.xlsx"))).toBe(0);

    const [answer] = await pipeline.answersTo(sender);
    expect(answer?.subject).toBe("[iSIKHNAS] Tidak diizinkan: Rekap vaksinasi");
    expect(answer?.attachments).toEqual([]);
    await settled(pipeline);
    expect(await pipeline.uploadsFrom(sender)).toEqual([]);
    expect(
      await pipeline.count(
        "SELECT 1 FROM vaccination_reports WHERE vaccinated_on BETWEEN '2025-09-01' AND '2025-09-30'",
      ),
    ).toBe(0);
    expect(await pipeline.stack.mailbox.to(sender)).toHaveLength(1);
  });
});

describe("a processor killed in the middle of an import", () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await openPipeline();
  });
  afterAll(() => pipeline?.close());

  it("leaves the message to the next processor: one import, one answer", async ({ annotate }) => {
    const { db } = pipeline;
    const sender = await pipeline.senderAddress("paravet");
    const file = await pipeline.vaccinationWorkbook(vaccinationRows(30, new Date(Date.UTC(2025, 9, 1))));
    // The test holds the table the import writes to, so the processor is caught inside its
    // import transaction, the message received and nothing committed, when it is killed.
    const blocker = await db.primary.connect();
    let first: ChildProcess | undefined;
    try {
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE vaccination_reports IN ACCESS EXCLUSIVE MODE");
      first = pipeline.startProcessor();
      expect(await pipeline.pipeMail(await rawMail(sender, file, "vaksinasi-oktober.xlsx"))).toBe(0);
      await waitFor(
        async () =>
          (await pipeline.count(
            `SELECT 1 FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'
                AND application_name LIKE 'excel-processor%'`,
          )) > 0,
        { timeoutMs: 30_000, description: "the processor waiting inside its import" },
      );
      await stopProcess(first, "SIGKILL");
      expect(first.signalCode).toBe("SIGKILL");
      const [input] = await queueStats(pipeline.stack.sqs, pipeline.stack.prefix, ["emailinput"]);
      expect(input).toMatchObject({ depth: 0, inFlight: 1 });
    } finally {
      await blocker.query("ROLLBACK");
      blocker.release();
      if (first) await stopProcess(first, "SIGKILL");
    }
    expect(await pipeline.uploadsFrom(sender)).toEqual([]);
    expect(await pipeline.stack.mailbox.to(sender)).toEqual([]);

    const restarted = Date.now();
    pipeline.startProcessor();
    const [answer] = await pipeline.answersTo(sender);
    await annotate(`answered ${Math.round((Date.now() - restarted) / 1000)} s after the restart`);
    await settled(pipeline);
    const uploads = await pipeline.uploadsFrom(sender);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ status: "imported", row_count: 30 });
    expect(
      await pipeline.count("SELECT 1 FROM vaccination_reports WHERE upload_id = $1", [uploads[0]?.id]),
    ).toBe(30);
    expect(
      await pipeline.count(
        "SELECT 1 FROM vaccination_reports WHERE vaccinated_on BETWEEN '2025-10-01' AND '2025-10-31'",
      ),
    ).toBe(30);
    expect(answer?.subject).toBe(
      `[iSIKHNAS] Berhasil disimpan: Rekap vaksinasi (unggahan ${uploads[0]?.id})`,
    );
    expect(await pipeline.stack.mailbox.to(sender)).toHaveLength(1);
  }, 120_000);
});
