import { randomUUID } from "node:crypto";
import { buffer } from "node:stream/consumers";
import { waitFor, waitForQueueDrained } from "@isikhnas/devstack/testing";
import { DEMO_USERS, handleInboundMessage } from "@isikhnas/domain";
import { listDeadLetters } from "@isikhnas/platform";
import {
  LAB_SUBMISSIONS_HEADER,
  metadata,
  readWorkbook,
  VACCINATION_HEADER,
  vaccinationRows,
  workbookBuffer,
} from "@isikhnas/workbooks/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./testing/harness.js";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness?.close());

async function answerTo(messageId: string) {
  return waitFor(async () => (await harness.outbox.poll()).find((mail) => mail.inReplyTo === messageId), {
    description: `the answer to ${messageId}`,
  });
}

async function count(sql: string, values: unknown[] = []): Promise<number> {
  const result = await harness.db.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) counted`, values);
  return Number(result.rows[0]?.n);
}

const paravet = DEMO_USERS.paravet.email;

describe("excel-processor through the queue and bucket emulators", () => {
  it("imports a valid vaccination tally in one go and answers with a summary", async () => {
    const file = await workbookBuffer([
      { name: "Vaksinasi", rows: [VACCINATION_HEADER, ...vaccinationRows(40)] },
      metadata("vaccination_tally"),
    ]);
    const message = await harness.mail(file, { from: paravet, filename: "vaksinasi-januari.xlsx" });
    const answer = await answerTo(message.messageId);
    expect(answer.subject).toMatch(/^\[iSIKHNAS\] Berhasil disimpan: Rekap vaksinasi \(unggahan \d+\)$/);
    expect(answer.text).toContain("40 baris");
    expect(answer.to).toEqual([paravet]);
    expect(answer.references).toEqual([message.messageId]);
    const upload = await harness.db.query<{
      id: string;
      status: string;
      row_count: number;
      answer_sent_at: Date;
    }>("SELECT id, status, row_count, answer_sent_at FROM uploads WHERE content_sha256 = $1", [
      message.attachment.sha256,
    ]);
    expect(upload.rows[0]).toMatchObject({ status: "imported", row_count: 40 });
    expect(upload.rows[0]?.answer_sent_at).toBeInstanceOf(Date);
    expect(answer.id).toBe(`excel-processor:upload:live:${upload.rows[0]?.id}`);
    expect(await count("SELECT 1 FROM vaccination_reports WHERE upload_id = $1", [upload.rows[0]?.id])).toBe(
      40,
    );
    const first = await harness.db.query(
      `SELECT v.vaccinated_on::text AS day, l.code AS village, v.species_code, v.primary_count, v.booster_count
       FROM vaccination_reports v JOIN locations l ON l.id = v.location_id WHERE upload_id = $1 ORDER BY v.id LIMIT 1`,
      [upload.rows[0]?.id],
    );
    expect(first.rows[0]).toEqual({
      day: "2025-01-01",
      village: "72060201",
      species_code: "SP",
      primary_count: 10,
      booster_count: 0,
    });
  });

  it("imports nothing from a workbook with errors and sends it back with every bad cell marked", async () => {
    const rows = vaccinationRows(6);
    rows[1] = ["101", "2025-01-02", "72060202", "XX", 5, 0, ""]; // unknown species
    rows[3] = ["999", "2025-01-02", "73080101", "SP", 5, 0, ""]; // unknown program, village outside the areas
    rows[4] = [...(rows[0] ?? [])]; // the same program, date, village and species as row 2
    rows[5] = ["999", "2025-01-03", "72060201", "SP", 5, 0, ""]; // unknown program, found before row 6's repeat
    const file = await workbookBuffer([{ name: "Vaksinasi", rows: [VACCINATION_HEADER, ...rows] }]);
    const message = await harness.mail(file, { from: paravet, filename: "salah.xlsx" });
    const answer = await answerTo(message.messageId);
    expect(answer.subject).toBe("[iSIKHNAS] Tidak disimpan, 5 kesalahan: Rekap vaksinasi");
    expect(
      await count(
        "SELECT 1 FROM vaccination_reports v JOIN uploads u ON u.id = v.upload_id WHERE u.content_sha256 = $1",
        [message.attachment.sha256],
      ),
    ).toBe(0);
    const upload = await harness.db.query(
      "SELECT status, error_count FROM uploads WHERE content_sha256 = $1",
      [message.attachment.sha256],
    );
    expect(upload.rows[0]).toEqual({ status: "rejected", error_count: 5 });

    const [attachment] = answer.attachments;
    expect(attachment).toMatchObject({ bucket: "emailattachments", filename: "salah-kesalahan.xlsx" });
    const object = await harness.buckets.emailattachments.get(attachment?.key ?? "");
    const book = await readWorkbook(await buffer(object.body));
    const sheet = book.getWorksheet("Vaksinasi");
    const fill = (address: string) =>
      (sheet?.getCell(address).fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb;
    expect(fill("D3")).toBe("FFFFC7CE");
    expect(String(sheet?.getCell("D3").note)).toContain("Kode tidak ada di daftar SP");
    expect(fill("A5")).toBe("FFFFC7CE");
    expect(String(sheet?.getCell("A5").note)).toContain("Program vaksinasi tidak dikenal");
    expect(String(sheet?.getCell("C5").note)).toContain("Di luar wilayah tanggung jawab Anda");
    expect(String(sheet?.getCell("A6").note)).toContain("(baris 2)");
    expect(fill("A2")).toBeUndefined();
    const summary = book.getWorksheet("Kesalahan");
    expect(summary?.getCell("A1").value).toBe("5 kesalahan ditemukan. Tidak ada data yang disimpan.");
    expect(summary?.getRow(6).values).toEqual([
      undefined,
      "Vaksinasi",
      3,
      "D",
      "Spesies",
      "XX",
      "Kode tidak ada di daftar SP",
      "Kode spesies dari daftar SP, mis. SP (sapi)",
    ]);
    // Workbook and database errors together, by row and column.
    const listed = [6, 7, 8, 9, 10].map((row) => [
      summary?.getCell(row, 2).value,
      summary?.getCell(row, 3).value,
    ]);
    expect(listed).toEqual([
      [3, "D"],
      [5, "A"],
      [5, "C"],
      [6, "A"],
      [7, "A"],
    ]);
  });

  it("imports none of a long workbook's rows when a row after those already written fails a check", async () => {
    const rows = vaccinationRows(5_000);
    rows[4_500] = ["101", "2025-01-02", "73080101", "SP", 5, 0, ""]; // outside the sender's areas
    const file = await workbookBuffer([{ name: "Vaksinasi", rows: [VACCINATION_HEADER, ...rows] }]);
    const message = await harness.mail(file, { from: paravet, filename: "panjang.xlsx" });
    const answer = await answerTo(message.messageId);
    expect(answer.subject).toBe("[iSIKHNAS] Tidak disimpan, 1 kesalahan: Rekap vaksinasi");
    const upload = await harness.db.query<{ id: string; status: string; error_count: number }>(
      "SELECT id, status, error_count FROM uploads WHERE content_sha256 = $1",
      [message.attachment.sha256],
    );
    expect(upload.rows[0]).toMatchObject({ status: "rejected", error_count: 1 });
    expect(await count("SELECT 1 FROM vaccination_reports WHERE upload_id = $1", [upload.rows[0]?.id])).toBe(
      0,
    );
  });

  it("answers the same file sent again 'already imported', naming the first upload", async () => {
    const file = await workbookBuffer([
      {
        name: "Vaksinasi",
        rows: [VACCINATION_HEADER, ...vaccinationRows(3, new Date(Date.UTC(2025, 2, 1)))],
      },
    ]);
    const first = await harness.mail(file, { from: paravet });
    const firstAnswer = await answerTo(first.messageId);
    const uploadId = /unggahan (\d+)/.exec(firstAnswer.subject)?.[1];
    const again = await harness.mail(file, { from: paravet });
    const answer = await answerTo(again.messageId);
    expect(answer.subject).toBe(`[iSIKHNAS] Sudah pernah disimpan: Rekap vaksinasi (unggahan ${uploadId})`);
    expect(answer.text).toContain(`sebagai unggahan ${uploadId}`);
    expect(await count("SELECT 1 FROM vaccination_reports WHERE upload_id = $1", [uploadId])).toBe(3);
    expect(await count("SELECT 1 FROM uploads WHERE content_sha256 = $1", [first.attachment.sha256])).toBe(1);
  });

  it("imports the same file from two users for each of them; each is answered about their own upload", async () => {
    const file = await workbookBuffer([
      {
        name: "Vaksinasi",
        rows: [VACCINATION_HEADER, ...vaccinationRows(2, new Date(Date.UTC(2025, 2, 20)))],
      },
    ]);
    const coordinator = DEMO_USERS.district_coordinator.email;
    const fromParavet = await harness.mail(file, { from: paravet });
    const paravetAnswer = await answerTo(fromParavet.messageId);
    const fromCoordinator = await harness.mail(file, { from: coordinator });
    const coordinatorAnswer = await answerTo(fromCoordinator.messageId);
    const uploadOf = (subject: string) =>
      /Berhasil disimpan: Rekap vaksinasi \(unggahan (\d+)\)$/.exec(subject)?.[1];
    const paravetUpload = uploadOf(paravetAnswer.subject);
    const coordinatorUpload = uploadOf(coordinatorAnswer.subject);
    expect(paravetUpload).toBeDefined();
    expect(coordinatorUpload).toBeDefined();
    expect(coordinatorUpload).not.toBe(paravetUpload);
    expect(coordinatorAnswer.to).toEqual([coordinator]);
    const uploads = await harness.db.query(
      `SELECT u.sender_address, u.status, count(v.id)::int AS reports
       FROM uploads u LEFT JOIN vaccination_reports v ON v.upload_id = u.id
       WHERE u.content_sha256 = $1 GROUP BY u.id ORDER BY u.id`,
      [fromParavet.attachment.sha256],
    );
    expect(uploads.rows).toEqual([
      { sender_address: paravet, status: "imported", reports: 2 },
      { sender_address: coordinator, status: "imported", reports: 2 },
    ]);
    // The same user sending it again is still told it is already there.
    const again = await harness.mail(file, { from: coordinator });
    expect((await answerTo(again.messageId)).subject).toBe(
      `[iSIKHNAS] Sudah pernah disimpan: Rekap vaksinasi (unggahan ${coordinatorUpload})`,
    );
  });

  it("imports a redelivered message once and answers it once", async () => {
    const file = await workbookBuffer([
      {
        name: "Vaksinasi",
        rows: [VACCINATION_HEADER, ...vaccinationRows(5, new Date(Date.UTC(2025, 3, 1)))],
      },
    ]);
    const message = await harness.mail(file, { from: paravet });
    await answerTo(message.messageId);
    await harness.redeliver(message);
    await harness.redeliver(message);
    await waitForQueueDrained(harness.stack, "emailinput");
    const answers = (await harness.outbox.poll()).filter((mail) => mail.inReplyTo === message.messageId);
    expect(answers).toHaveLength(1);
    expect(
      await count(
        "SELECT 1 FROM vaccination_reports v JOIN uploads u ON u.id = v.upload_id WHERE u.content_sha256 = $1",
        [message.attachment.sha256],
      ),
    ).toBe(5);
  });

  it("refuses a sender whose user type may not upload the template, importing nothing", async () => {
    const file = await workbookBuffer([
      {
        name: "Vaksinasi",
        rows: [VACCINATION_HEADER, ...vaccinationRows(2, new Date(Date.UTC(2025, 4, 1)))],
      },
    ]);
    const message = await harness.mail(file, { from: DEMO_USERS.village_reporter.email });
    const answer = await answerTo(message.messageId);
    expect(answer.subject).toBe("[iSIKHNAS] Tidak diizinkan: Rekap vaksinasi");
    expect(await count("SELECT 1 FROM uploads WHERE content_sha256 = $1", [message.attachment.sha256])).toBe(
      0,
    );
    expect(await count("SELECT 1 FROM vaccination_reports WHERE vaccinated_on = '2025-05-01'")).toBe(0);
  });

  it("sends every answer with the correlation id of the message it answers, so one id follows a mail", async () => {
    const imported = await harness.mail(
      await workbookBuffer([
        {
          name: "Vaksinasi",
          rows: [VACCINATION_HEADER, ...vaccinationRows(3, new Date(Date.UTC(2025, 5, 2)))],
        },
        metadata("vaccination_tally"),
      ]),
      { from: paravet },
    );
    const refused = await harness.mail(
      await workbookBuffer([{ name: "Vaksinasi", rows: [VACCINATION_HEADER] }]),
      {
        from: "nobody@example.org",
      },
    );
    for (const message of [imported, refused]) {
      const answer = await answerTo(message.messageId);
      expect(harness.outbox.correlationIds.get(answer.id)).toBe(message.messageId);
    }
  });

  it("names the problem of a file that is not a usable workbook, in the sender's language", async () => {
    const xls = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(2048),
    ]);
    const message = await harness.mail(xls, { from: DEMO_USERS.district_vet.email, filename: "old.xls" });
    const answer = await answerTo(message.messageId);
    expect(answer.subject).toBe("[iSIKHNAS] File not processed: old.xls");
    expect(answer.text).toContain("Excel 97-2003 format (.xls)");

    const missing = await workbookBuffer([
      {
        name: "Vaksinasi",
        rows: [
          ["Program", "Desa"],
          ["101", "72060201"],
        ],
      },
    ]);
    const second = await harness.mail(missing, { from: paravet });
    expect((await answerTo(second.messageId)).text).toContain(
      "tidak memiliki kolom wajib: Tanggal, Spesies, Primer",
    );
  });

  it("imports a lab upload and asks for one client report per submission", async () => {
    const lab = DEMO_USERS.lab_staff;
    const cases = await harness.db.query<{ id: string }>(
      `INSERT INTO cases (kind, reporter_id, location_id, species_code, animal_count, reported_at)
       SELECT 'U', u.id, l.id, 'SP', 3, now() FROM users u CROSS JOIN locations l CROSS JOIN generate_series(1, 2)
       WHERE u.name = $1 AND l.code = '73080101' RETURNING id`,
      [lab.name],
    );
    const [caseA, caseB] = cases.rows.map((row) => Number(row.id));
    const file = await workbookBuffer([
      {
        name: "Pengiriman",
        rows: [
          LAB_SUBMISSIONS_HEADER,
          [caseA, "2025-06-01", "73080101", "SP", "SER", "SG", "VIR", 2, 730801, "S-001"],
          [caseA, "2025-06-01", "73080101", "SP", "FES", "SG", "PAR", 1, 730801, "S-002"],
          [caseB, "2025-06-02", "73080101", "SP", "DRH", "BK", null, 1, 730801, "S-003"],
        ],
      },
      {
        name: "Hasil",
        rows: [
          ["ID sampel", "Uji", "Hasil", "Tanggal hasil"],
          ["S-001", "ELISA", "positif", "2025-06-05"],
        ],
      },
      metadata("lab_submissions"),
    ]);
    const message = await harness.mail(file, { from: lab.email });
    const answer = await answerTo(message.messageId);
    expect(answer.subject).toMatch(/Berhasil disimpan: Pengiriman dan hasil laboratorium/);
    expect(answer.text).toContain("pengiriman: 2, spesimen: 3, hasil: 1");
    const submissions = await harness.db.query<{ id: string }>(
      "SELECT s.id FROM lab_submissions s JOIN uploads u ON u.id = s.upload_id WHERE u.content_sha256 = $1 ORDER BY s.id",
      [message.attachment.sha256],
    );
    expect(submissions.rows).toHaveLength(2);
    const requests = await waitFor(async () => {
      const mine = (await harness.reports.poll()).filter(
        (request) => request.inReplyTo === message.messageId,
      );
      return mine.length === 2 ? mine : undefined;
    });
    expect(requests.map((request) => request.parameters.submissionId).sort()).toEqual(
      submissions.rows.map((row) => Number(row.id)).sort(),
    );
    expect(
      requests.every(
        (request) => request.report === "lab-client-report" && request.recipients[0] === lab.email,
      ),
    ).toBe(true);
  });

  it("lists a lab workbook's errors in the template's sheet order: submissions, then results", async () => {
    const lab = DEMO_USERS.lab_staff;
    const cases = await harness.db.query<{ id: string }>(
      `INSERT INTO cases (kind, reporter_id, location_id, species_code, animal_count, reported_at)
       SELECT 'U', u.id, l.id, 'SP', 3, now() FROM users u CROSS JOIN locations l
       WHERE u.name = $1 AND l.code = '73080101' RETURNING id`,
      [lab.name],
    );
    const caseId = Number(cases.rows[0]?.id);
    const file = await workbookBuffer([
      {
        name: "Pengiriman",
        rows: [
          LAB_SUBMISSIONS_HEADER,
          [caseId, "2025-07-01", "73080101", "SP", "XXX", "SG", "VIR", 2, 730801, "T-001"],
        ],
      },
      {
        name: "Hasil",
        rows: [
          ["ID sampel", "Uji", "Hasil", "Tanggal hasil"],
          ["T-001", "ELISA", "positif", "not a date"],
        ],
      },
      metadata("lab_submissions"),
    ]);
    const message = await harness.mail(file, { from: lab.email, filename: "lab-salah.xlsx" });
    const answer = await answerTo(message.messageId);
    expect(answer.subject).toMatch(/^\[iSIKHNAS\] Tidak disimpan, 2 kesalahan/);
    const object = await harness.buckets.emailattachments.get(answer.attachments[0]?.key ?? "");
    const summary = (await readWorkbook(await buffer(object.body))).getWorksheet("Kesalahan");
    // By name, "Hasil" would come first.
    expect([6, 7].map((row) => summary?.getCell(row, 1).value)).toEqual(["Pengiriman", "Hasil"]);
  });

  it("registers users with their contacts and areas", async () => {
    const coordinator = DEMO_USERS.district_coordinator;
    const file = await workbookBuffer([
      {
        name: "Registrasi",
        rows: [
          [
            "ID pelatihan",
            "Nama depan",
            "Nama belakang",
            "No HP",
            "E-mail",
            "Lokasi",
            "Wilayah tanggung jawab",
            "Jenis pengguna",
            "Bahasa",
          ],
          [
            "K-01",
            "Sari",
            "Wulan",
            81299990001,
            "Sari@Example.org",
            "72060201",
            "720602,720603",
            "paravet",
            "en",
          ],
          ["K-01", "Joko", null, "0812 9999 0002", null, "72060202", null, "village_reporter", null],
        ],
      },
    ]);
    const message = await harness.mail(file, { from: coordinator.email });
    const answer = await answerTo(message.messageId);
    expect(answer.text).toContain("pengguna: 2, kontak: 3, wilayah: 2");
    const sari = await harness.db.query(
      `SELECT u.name, u.user_type, u.language, array_agg(DISTINCT c.address ORDER BY c.address) AS contacts
       FROM users u JOIN contacts c ON c.user_id = u.id WHERE u.name = 'Sari Wulan' GROUP BY u.id`,
    );
    expect(sari.rows[0]).toEqual({
      name: "Sari Wulan",
      user_type: "paravet",
      language: "en",
      contacts: ["6281299990001", "sari@example.org"],
    });
  });

  it("replaces earlier monthly slaughter figures of the same slaughterhouse, month and species", async () => {
    const abattoir = DEMO_USERS.abattoir_reporter.email;
    const header = ["RPH", "Bulan", "Spesies", "Jantan", "Betina", "Betina produktif"];
    const first = await harness.mail(
      await workbookBuffer([
        {
          name: "Pemotongan",
          rows: [header, ["RPH7206", "2025-06", "SP", 10, 4, 2], ["RPH7206", "2025-06", "KB", 3, 3, null]],
        },
      ]),
      { from: abattoir },
    );
    await answerTo(first.messageId);
    // A LibreOffice export: the month as a date, counts as text.
    const second = await harness.mail(
      await workbookBuffer([
        {
          name: "Pemotongan",
          rows: [header, ["rph7206", new Date(Date.UTC(2025, 5, 1)), "sp", "12", "5", ""]],
        },
      ]),
      { from: abattoir },
    );
    expect((await answerTo(second.messageId)).text).toContain("laporan: 1");
    const current = await harness.db.query(
      `SELECT species_code, male_count, female_count FROM monthly_slaughter_reports
       WHERE month = '2025-06-01' AND deleted_at IS NULL ORDER BY species_code`,
    );
    expect(current.rows).toEqual([
      { species_code: "KB", male_count: 3, female_count: 3 },
      { species_code: "SP", male_count: 12, female_count: 5 },
    ]);
    expect(
      await count(
        "SELECT 1 FROM monthly_slaughter_reports WHERE month = '2025-06-01' AND deleted_at IS NOT NULL",
      ),
    ).toBe(1);
  });

  it("keeps an RP day's figures and the monthly workbook's figures of the same slaughterhouse apart", async () => {
    const abattoir = DEMO_USERS.abattoir_reporter;
    const header = ["RPH", "Bulan", "Spesies", "Jantan", "Betina", "Betina produktif"];
    const rp = (text: string, receivedAt: Date) =>
      handleInboundMessage(harness.db, {
        channel: "sms",
        sender: abattoir.phone,
        text,
        receivedAt,
        externalId: randomUUID(),
        environment: "live",
      });
    const monthly = async (month: string, row: (string | number)[]) => {
      const message = await harness.mail(
        await workbookBuffer([{ name: "Pemotongan", rows: [header, ["RPH7206", month, ...row]] }]),
        { from: abattoir.email },
      );
      return answerTo(message.messageId);
    };
    const daily = async (day: string) =>
      (
        await harness.db.query(
          `SELECT r.species_code, r.male_count, r.female_count FROM slaughter_reports r
           JOIN inbound_messages m ON m.id = r.inbound_message_id
           WHERE r.report_date = $1 AND r.deleted_at IS NULL ORDER BY r.species_code`,
          [day],
        )
      ).rows;

    // The RP of the 1st first, then the month's workbook: the day's figures stay.
    const first = await rp("RP RPH7206 sp 3 2", new Date("2025-08-01T03:00:00Z"));
    expect(first.reply?.body).toContain("dicatat");
    expect((await monthly("2025-08", ["SP", 60, 40, 5])).subject).toMatch(/^\[iSIKHNAS\] Berhasil disimpan/);
    expect(await daily("2025-08-01")).toEqual([{ species_code: "SP", male_count: 3, female_count: 2 }]);

    // The workbook first, then an RP of the 1st with fewer females than the month's productive
    // ones: both are kept, nothing is refused.
    expect((await monthly("2025-09", ["SP", 60, 40, 5])).subject).toMatch(/^\[iSIKHNAS\] Berhasil disimpan/);
    const second = await rp("RP RPH7206 sp 1 1", new Date("2025-09-01T03:00:00Z"));
    expect(second.reply?.body).toContain("dicatat");
    expect(await daily("2025-09-01")).toEqual([{ species_code: "SP", male_count: 1, female_count: 1 }]);

    const months = await harness.db.query(
      `SELECT to_char(r.month, 'YYYY-MM') AS month, r.male_count, r.female_count, r.productive_female_count
       FROM monthly_slaughter_reports r JOIN infrastructure i ON i.id = r.slaughterhouse_id
       WHERE i.code = 'RPH7206' AND r.species_code = 'SP' AND r.month IN ('2025-08-01', '2025-09-01')
         AND r.deleted_at IS NULL ORDER BY r.month`,
    );
    expect(months.rows).toEqual([
      { month: "2025-08", male_count: 60, female_count: 40, productive_female_count: 5 },
      { month: "2025-09", male_count: 60, female_count: 40, productive_female_count: 5 },
    ]);
  });

  it("dead-letters a training message when no training database is configured", async () => {
    const file = await workbookBuffer([
      { name: "Vaksinasi", rows: [VACCINATION_HEADER, ...vaccinationRows(1)] },
    ]);
    const message = await harness.mail(file, { from: paravet, environment: "training" });
    const dead = await waitFor(async () => {
      const letters = await listDeadLetters(harness.stack.sqs, harness.stack.prefix, "emailinput", {
        previewChars: 100_000,
      });
      return letters.find((letter) => letter.bodyPreview.includes(message.messageId));
    });
    expect(dead.reason).toContain("TRAINING_DATABASE_URL");
  });
});
