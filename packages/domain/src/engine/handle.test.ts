import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../reference/demo.js";
import { caseIdOf, createEngineFixture, type EngineFixture, minutesAfter, T0 } from "../testing/engine.js";

let fx: EngineFixture;

beforeAll(async () => {
  fx = await createEngineFixture();
});
afterAll(async () => {
  await fx.close();
});

async function inbound(id: number) {
  const result = await fx.db.query(
    "SELECT status, command_code, error_reason, case_id, duplicate_of, user_id FROM inbound_messages WHERE id = $1",
    [id],
  );
  return result.rows[0];
}

async function count(sql: string, values: unknown[] = []): Promise<number> {
  const result = await fx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, values);
  return result.rows[0]?.n ?? -1;
}

describe("U: general sick-animal case", () => {
  it("stores the case, replies with its id and alerts the district vet and coordinator", async () => {
    const result = await fx.send("village_reporter", "U mc,dm sp 4");
    expect(result.duplicate).toBe(false);
    expect(result.reply?.channel).toBe("sms");
    expect(result.reply?.address).toBe(DEMO_USERS.village_reporter.phone);
    expect(result.reply?.body).toMatch(/^\[iSIKHNAS\] \[ID Kasus \d+\]\. 4 sapi \(mencret, demam\) di Lemo/);
    expect(result.reply?.body.length).toBeLessThanOrEqual(160);
    const caseId = caseIdOf(result.reply?.body);

    const stored = await fx.db.query(
      `SELECT c.kind, c.species_code, c.animal_count, l.code AS location,
              array(SELECT sign_code FROM case_signs WHERE case_id = c.id ORDER BY id) AS signs
       FROM cases c JOIN locations l ON l.id = c.location_id WHERE c.id = $1`,
      [caseId],
    );
    expect(stored.rows[0]).toEqual({
      kind: "U",
      species_code: "SP",
      animal_count: 4,
      location: "72060202",
      signs: ["MC", "DM"],
    });
    expect(await inbound(result.inboundMessageId)).toMatchObject({
      status: "accepted",
      command_code: "U",
      case_id: caseId,
    });

    expect(result.alerts.map((a) => a.address).sort()).toEqual(
      [DEMO_USERS.district_coordinator.phone, DEMO_USERS.district_vet.phone].sort(),
    );
    const vetAlert = result.alerts.find((a) => a.address === DEMO_USERS.district_vet.phone);
    expect(vetAlert?.body).toContain(`New case ${caseId}: 4 cattle`);
    const queued = await count("outbound_messages WHERE inbound_message_id = $1 AND status = 'queued'", [
      result.inboundMessageId,
    ]);
    expect(queued).toBe(3);
  });

  it("takes a location and differential diagnoses (wiki example) from district staff", async () => {
    const result = await fx.send("district_vet", "U mc,dm sp 4 72060202 coc,sal");
    expect(result.reply?.body).toMatch(/^\[iSIKHNAS\] \[Case ID \d+\]\. 4 cattle/);
    const caseId = caseIdOf(result.reply?.body);
    const ddx = await fx.db.query(
      "SELECT disease_code, rank FROM case_differential_diagnoses WHERE case_id = $1 ORDER BY rank",
      [caseId],
    );
    expect(ddx.rows).toEqual([
      { disease_code: "COC", rank: 1 },
      { disease_code: "SAL", rank: 2 },
    ]);
    // The sender is not alerted about their own case.
    expect(result.alerts.map((a) => a.address)).toEqual([DEMO_USERS.district_coordinator.phone]);
  });

  it("asks district staff for differential diagnoses", async () => {
    const result = await fx.send("district_vet", "U mc sp 2 72060201");
    expect(result.reply?.body).toContain("District staff must give differential diagnoses");
    expect(await inbound(result.inboundMessageId)).toMatchObject({ status: "rejected", case_id: null });
    expect(result.alerts).toEqual([]);
  });

  it("names the unknown code and the list to consult, storing nothing", async () => {
    const before = await count("cases");
    const result = await fx.send("village_reporter", "U mc,zz sp 4");
    expect(result.reply?.body).toBe(
      "[iSIKHNAS] Tanda klinis 'ZZ' tidak dikenal. Kirim KODE TAN untuk daftarnya.",
    );
    const species = await fx.send("village_reporter", "U mc xx 4");
    expect(species.reply?.body).toContain("Spesies 'XX' tidak dikenal");
    expect(await count("cases")).toBe(before);
  });

  it("refuses a location outside the sender's area, and codes that are not villages", async () => {
    const outside = await fx.send("village_reporter", "U mc sp 4 72060201");
    expect(outside.reply?.body).toContain("Lokasi 72060201 di luar wilayah");
    const unknown = await fx.send("village_reporter", "U mc sp 4 72069999");
    expect(unknown.reply?.body).toContain("Lokasi 72069999 tidak dikenal");
    const district = await fx.send("district_coordinator", "U mc sp 4 7206 coc");
    expect(district.reply?.body).toContain("7206 bukan kode desa");
  });

  it("answers a count out of range with the limits", async () => {
    const result = await fx.send("village_reporter", "U mc sp 0");
    expect(result.reply?.body).toBe("[iSIKHNAS] Jumlah 0 di luar batas (1-100000).");
  });
});

describe("P: priority syndrome", () => {
  it("alerts district and provincial coordinators by SMS and e-mail", async () => {
    const result = await fx.send("village_reporter", "P ai ay 20");
    expect(result.reply?.body).toMatch(
      /^\[iSIKHNAS\] \[ID Kasus \d+\]\. PRIORITAS AI unggas mati mendadak: 20 ayam/,
    );
    const caseId = caseIdOf(result.reply?.body);
    const alerts = result.alerts.map((a) => `${a.channel}:${a.address}`).sort();
    expect(alerts).toEqual(
      [
        `email:${DEMO_USERS.district_coordinator.email}`,
        `email:${DEMO_USERS.provincial_coordinator.email}`,
        `sms:${DEMO_USERS.district_coordinator.phone}`,
        `sms:${DEMO_USERS.provincial_coordinator.phone}`,
      ].sort(),
    );
    const subjects = await fx.db.query<{ subject: string }>(
      "SELECT subject FROM outbound_messages WHERE inbound_message_id = $1 AND channel = 'email'",
      [result.inboundMessageId],
    );
    expect(subjects.rows.map((r) => r.subject)).toEqual([
      `[iSIKHNAS] MENDESAK: kasus prioritas ${caseId} (AI) di Lemo (72060202)`,
      `[iSIKHNAS] MENDESAK: kasus prioritas ${caseId} (AI) di Lemo (72060202)`,
    ]);
    const stored = await fx.db.query("SELECT kind, syndrome_code FROM cases WHERE id = $1", [caseId]);
    expect(stored.rows[0]).toEqual({ kind: "P", syndrome_code: "AI" });
  });
});

describe("PK: case outcome", () => {
  it("records the outcome in the wiki's reply form and copies the supervisor", async () => {
    const created = await fx.send("village_reporter", "U dm sp 5");
    const caseId = caseIdOf(created.reply?.body);
    const result = await fx.send("village_reporter", `PK ${caseId} SB`);
    expect(result.reply?.body).toBe(`[iSIKHNAS] [ID Kasus ${caseId}]. 5 Sapi : Sembuh`);
    expect(result.alerts).toEqual([
      expect.objectContaining({
        address: DEMO_USERS.paravet.phone,
        body: `[iSIKHNAS] [ID Kasus ${caseId}]. 5 Sapi : Sembuh. Dari Budi Pelsa`,
      }),
    ]);
    const stored = await fx.db.query("SELECT outcome_code FROM cases WHERE id = $1", [caseId]);
    expect(stored.rows[0]).toEqual({ outcome_code: "SB" });
    expect(await count("case_events WHERE case_id = $1 AND kind = 'outcome'", [caseId])).toBe(1);
  });

  it("says when the case does not exist or lies outside the sender's area", async () => {
    const missing = await fx.send("village_reporter", "PK 999999 SB");
    expect(missing.reply?.body).toBe("[iSIKHNAS] Kasus 999999 tidak ditemukan.");
    const elsewhere = await fx.send("champion", "U dm kb 2 73080101");
    const caseId = caseIdOf(elsewhere.reply?.body);
    const outside = await fx.send("village_reporter", `PK ${caseId} MT`);
    expect(outside.reply?.body).toBe(`[iSIKHNAS] Kasus ${caseId} di luar wilayah Anda.`);
    const badOutcome = await fx.send("champion", `PK ${caseId} XX`);
    expect(badOutcome.reply?.body).toBe(
      "[iSIKHNAS] Unknown outcome 'XX'. Choose: SB recovered; MS still sick; MT dead",
    );
  });
});

describe("LAB: specimens to a lab", () => {
  it("stores the submission and notifies the lab's staff (wiki example)", async () => {
    const created = await fx.send("paravet", "U mc sp 3 72060202");
    const caseId = caseIdOf(created.reply?.body);
    const result = await fx.send("paravet", `LAB ${caseId} FES SG PAR 2 730801`);
    expect(result.reply?.body).toBe(
      `[iSIKHNAS] [ID Kasus ${caseId}]. Spesimen dikirim ke Laboratorium Keswan Bone: 2 feses segar untuk parasitologi dari Lemo, Bungku Tengah, Morowali.`,
    );
    expect(result.alerts.map((a) => a.address)).toEqual([DEMO_USERS.lab_staff.phone]);
    const specimens = await fx.db.query(
      `SELECT s.specimen_type_code, s.form_code, s.section_code, s.specimen_count
       FROM specimens s JOIN lab_submissions l ON l.id = s.submission_id WHERE l.case_id = $1`,
      [caseId],
    );
    expect(specimens.rows).toEqual([
      { specimen_type_code: "FES", form_code: "SG", section_code: "PAR", specimen_count: 2 },
    ]);
  });

  it("rejects an unknown lab", async () => {
    const created = await fx.send("paravet", "U mc sp 3 72060202");
    const caseId = caseIdOf(created.reply?.body);
    const result = await fx.send("paravet", `LAB ${caseId} FES SG 2 999999`);
    expect(result.reply?.body).toBe("[iSIKHNAS] ID lab '999999' tidak dikenal.");
  });
});

describe("VAK, RP, POP: production reports", () => {
  it("VAK stores one row per species", async () => {
    const result = await fx.send("paravet", "VAK 101 72060202 sp 10 2 kb 5");
    expect(result.reply?.body).toBe(
      "[iSIKHNAS] Vaksinasi 101 di Lemo (72060202) dicatat: sapi 10+2, kambing 5.",
    );
    const rows = await fx.db.query(
      "SELECT species_code, primary_count, booster_count FROM vaccination_reports WHERE inbound_message_id = $1 ORDER BY species_code",
      [result.inboundMessageId],
    );
    expect(rows.rows).toEqual([
      { species_code: "KB", primary_count: 5, booster_count: 0 },
      { species_code: "SP", primary_count: 10, booster_count: 2 },
    ]);
    const unknown = await fx.send("paravet", "VAK 999 72060202 sp 10");
    expect(unknown.reply?.body).toBe("[iSIKHNAS] Program '999' tidak dikenal.");
  });

  it("RP stores today's counts; a later report the same day replaces them", async () => {
    const first = await fx.send("abattoir_reporter", "RP RPH7206 sp 3 2 kb 0 4");
    expect(first.reply?.body).toBe(
      "[iSIKHNAS] Pemotongan RPH7206 2025-06-02 dicatat: sapi 3/2, kambing 0/4.",
    );
    await fx.send("abattoir_reporter", "RP RPH7206 sp 5 1", { receivedAt: minutesAfter(T0, 30) });
    const rows = await fx.db.query(
      `SELECT species_code, male_count, female_count FROM slaughter_reports
       WHERE report_date = '2025-06-02' AND deleted_at IS NULL ORDER BY species_code`,
    );
    expect(rows.rows).toEqual([
      { species_code: "KB", male_count: 0, female_count: 4 },
      { species_code: "SP", male_count: 5, female_count: 1 },
    ]);
  });

  it("RP is refused to a type without permission, and for a slaughterhouse outside the area", async () => {
    const viewer = await fx.send("viewer", "RP RPH7206 sp 3 2");
    expect(viewer.reply?.body).toBe("[iSIKHNAS] Jenis pengguna Anda tidak boleh mengirim RP.");
    expect(await inbound(viewer.inboundMessageId)).toMatchObject({
      status: "rejected",
      error_reason: "not permitted",
    });
    const outside = await fx.send("abattoir_reporter", "RP RPH7308 sp 3 2");
    expect(outside.reply?.body).toContain("di luar wilayah");
  });

  it("VAK, RP and POP refuse an unknown species and a species given twice, storing nothing", async () => {
    const unknown = await fx.send("village_reporter", "POP sp 120 zz 4");
    expect(unknown.reply?.body).toBe("[iSIKHNAS] Spesies 'ZZ' tidak dikenal. Kirim KODE SP untuk daftarnya.");
    expect(await inbound(unknown.inboundMessageId)).toMatchObject({
      status: "rejected",
      error_reason: "unknown species ZZ",
    });
    const twice = await fx.send("paravet", "VAK 101 72060202 sp 10 sp 5");
    expect(twice.reply?.body).toContain("Format: VAK");
    expect(await inbound(twice.inboundMessageId)).toMatchObject({
      status: "rejected",
      error_reason: "species SP repeated",
    });
    const slaughter = await fx.send("abattoir_reporter", "RP RPH7206 kb 1 1 kb 2 2");
    expect(await inbound(slaughter.inboundMessageId)).toMatchObject({ error_reason: "species KB repeated" });
    expect(
      await count(
        `(SELECT inbound_message_id FROM vaccination_reports UNION ALL SELECT inbound_message_id FROM slaughter_reports
          UNION ALL SELECT inbound_message_id FROM population_counts) AS r WHERE inbound_message_id = ANY($1)`,
        [[unknown.inboundMessageId, twice.inboundMessageId, slaughter.inboundMessageId]],
      ),
    ).toBe(0);
  });

  it("POP defaults to the sender's village", async () => {
    const result = await fx.send("village_reporter", "POP sp 120 kb 40");
    expect(result.reply?.body).toBe("[iSIKHNAS] Populasi Lemo (72060202) dicatat: sapi 120, kambing 40.");
    expect(await count("population_counts WHERE inbound_message_id = $1", [result.inboundMessageId])).toBe(2);
  });
});

describe("H: delete the last report", () => {
  it("soft-deletes the last report and puts a withdrawn outcome back", async () => {
    const created = await fx.send("inseminator", "U lm sp 1 72060201", {
      receivedAt: minutesAfter(T0, -120),
    });
    const caseId = caseIdOf(created.reply?.body);
    await fx.send("inseminator", `PK ${caseId} MS`, { receivedAt: minutesAfter(T0, -110) });
    await fx.send("inseminator", `PK ${caseId} MT`, { receivedAt: minutesAfter(T0, -100) });

    const first = await fx.send("inseminator", "H", { receivedAt: minutesAfter(T0, -80) });
    expect(first.reply?.body).toMatch(/^\[iSIKHNAS\] Laporan .* \(PK \d+ MT\) dihapus\.$/);
    const afterFirst = await fx.db.query("SELECT outcome_code, deleted_at FROM cases WHERE id = $1", [
      caseId,
    ]);
    expect(afterFirst.rows[0]).toEqual({ outcome_code: "MS", deleted_at: null });

    // H resent within 10 minutes is the same H, not a second deletion.
    const resent = await fx.send("inseminator", "H", { receivedAt: minutesAfter(T0, -75) });
    expect(await inbound(resent.inboundMessageId)).toMatchObject({ status: "duplicate" });
    await fx.send("inseminator", "H", { receivedAt: minutesAfter(T0, -60) });
    await fx.send("inseminator", "H", { receivedAt: minutesAfter(T0, -40) });
    const gone = await fx.db.query("SELECT deleted_at FROM cases WHERE id = $1", [caseId]);
    expect(gone.rows[0]?.deleted_at).not.toBeNull();
    const last = await fx.send("inseminator", "H", { receivedAt: minutesAfter(T0, -20) });
    expect(last.reply?.body).toBe("[iSIKHNAS] Tidak ada laporan Anda dalam 24 jam terakhir untuk dihapus.");
  });
});

describe("queries", () => {
  it("? lists the commands; a bare code gives its format; an unknown word gets the list", async () => {
    expect((await fx.send("viewer", "?")).reply?.body).toBe(
      "[iSIKHNAS] KODE kode; CKL cari lokasi; ? bantuan. Kirim kode saja untuk formatnya.",
    );
    expect((await fx.send("village_reporter", "u")).reply?.body).toBe(
      "[iSIKHNAS] Format: U [tanda,tanda] [spesies] [jumlah] {lokasi} {ddx,ddx}. Contoh: U MC,DM SP 4",
    );
    expect((await fx.send("village_reporter", "halo")).reply?.body).toContain("'HALO' bukan perintah");
    expect((await fx.send("village_reporter", "U mc sp empat")).reply?.body).toContain(
      "Jumlah 'EMPAT' salah",
    );
  });

  it("KODE lists lists and codes in the user's language", async () => {
    expect((await fx.send("champion", "KODE")).reply?.body).toContain("SP species; TAN signs");
    expect((await fx.send("village_reporter", "kode hs")).reply?.body).toBe(
      "[iSIKHNAS] PK: SB sembuh; MS masih sakit; MT mati",
    );
    expect((await fx.send("village_reporter", "kode zz")).reply?.body).toContain("Daftar 'ZZ' tidak dikenal");
  });

  it("CKL finds locations by name", async () => {
    expect((await fx.send("village_reporter", "CKL lemo")).reply?.body).toBe(
      "[iSIKHNAS] LEMO: 72060202 Lemo (Bungku Tengah)",
    );
    expect((await fx.send("village_reporter", "CKL atlantis")).reply?.body).toContain("Tidak ada lokasi");
  });

  it("LAPD lists the last cases of a village in the sender's area", async () => {
    const result = await fx.send("district_coordinator", "LAPD 72060202");
    expect(result.reply?.body).toMatch(/^\[iSIKHNAS\] Lemo \(72060202\): \d+ 02\/06 /);
    expect(result.reply?.body.split(";").length).toBeLessThanOrEqual(5);
    const outside = await fx.send("district_coordinator", "LAPD 73080101");
    expect(outside.reply?.body).toContain("di luar wilayah");
    const unknown = await fx.send("district_coordinator", "LAPD 72069999");
    expect(unknown.reply?.body).toBe(
      "[iSIKHNAS] Lokasi 72069999 tidak dikenal. Kirim CKL [nama] untuk mencari kode.",
    );
    const district = await fx.send("district_coordinator", "LAPD 7206");
    expect(district.reply?.body).toBe("[iSIKHNAS] 7206 bukan kode desa (8 angka).");
  });
});

describe("golden rules", () => {
  it("handles a redelivered message once: one report, one reply, the stored result returned", async () => {
    const message = { externalId: "spool-redelivered-1" };
    const first = await fx.send("village_reporter", "U bt kb 2", message);
    const again = await fx.send("village_reporter", "U bt kb 2", message);
    expect(again.duplicate).toBe(true);
    expect(again.inboundMessageId).toBe(first.inboundMessageId);
    expect(again.reply).toEqual(first.reply);
    expect(again.alerts).toEqual(first.alerts);
    expect(await count("inbound_messages WHERE external_id = 'spool-redelivered-1'")).toBe(1);
    expect(await count("cases WHERE inbound_message_id = $1", [first.inboundMessageId])).toBe(1);
    expect(
      await count("outbound_messages WHERE inbound_message_id = $1 AND kind = 'reply'", [
        first.inboundMessageId,
      ]),
    ).toBe(1);
  });

  it("handles the same message delivered twice at once exactly once", async () => {
    const message = { externalId: "spool-concurrent-1" };
    const results = await Promise.all([
      fx.send("village_reporter", "U nm bb 3", message),
      fx.send("village_reporter", "U nm bb 3", message),
    ]);
    expect(results.map((r) => r.duplicate).sort()).toEqual([false, true]);
    expect(await count("cases WHERE species_code = 'BB' AND animal_count = 3")).toBe(1);
    expect(results[0]?.reply).not.toBeNull();
    expect(results[0]?.reply?.id).toBe(results[1]?.reply?.id);
  });

  it("treats identical text from the same sender within 10 minutes as one report", async () => {
    const start = minutesAfter(T0, 120);
    const first = await fx.send("village_reporter", "U kj ay 7", { receivedAt: start });
    const caseId = caseIdOf(first.reply?.body);
    const resent = await fx.send("village_reporter", "u KJ  ay 7.", { receivedAt: minutesAfter(start, 6) });
    expect(resent.duplicate).toBe(false);
    expect(resent.reply?.body).toBe(
      `[iSIKHNAS] Sudah diterima: [ID Kasus ${caseId}]. Tidak dicatat dua kali.`,
    );
    expect(resent.alerts).toEqual([]);
    expect(await inbound(resent.inboundMessageId)).toMatchObject({
      status: "duplicate",
      case_id: caseId,
      duplicate_of: first.inboundMessageId,
    });
    const later = await fx.send("village_reporter", "U kj ay 7", { receivedAt: minutesAfter(start, 11) });
    expect(caseIdOf(later.reply?.body)).not.toBe(caseId);
  });

  it("keeps one report when the later of two identical messages is handled first", async () => {
    const start = minutesAfter(T0, 360);
    const newer = await fx.send("village_reporter", "U mc kb 11", { receivedAt: minutesAfter(start, 5) });
    const caseId = caseIdOf(newer.reply?.body);
    const older = await fx.send("village_reporter", "U mc kb 11", { receivedAt: start });
    expect(older.reply?.body).toBe(
      `[iSIKHNAS] Sudah diterima: [ID Kasus ${caseId}]. Tidak dicatat dua kali.`,
    );
    expect(older.alerts).toEqual([]);
    expect(await inbound(older.inboundMessageId)).toMatchObject({
      status: "duplicate",
      case_id: caseId,
      duplicate_of: newer.inboundMessageId,
    });
    expect(await count("cases WHERE species_code = 'KB' AND animal_count = 11 AND deleted_at IS NULL")).toBe(
      1,
    );
  });

  it("keeps one report when two identical messages are handled at once, in either order", async () => {
    for (const [n, offsets] of [
      [12, [0, 3]],
      [13, [3, 0]],
    ] as const) {
      const start = minutesAfter(T0, 480 + n * 30);
      const results = await Promise.all(
        offsets.map((offset) =>
          fx.send("village_reporter", `U mc kb ${n}`, { receivedAt: minutesAfter(start, offset) }),
        ),
      );
      expect(
        await count("cases WHERE species_code = 'KB' AND animal_count = $1 AND deleted_at IS NULL", [n]),
      ).toBe(1);
      const caseIds = results.map((r) => caseIdOf(r.reply?.body));
      expect(caseIds[0]).toBe(caseIds[1]);
      const statuses = await Promise.all(
        results.map(async (r) => (await inbound(r.inboundMessageId))?.status),
      );
      expect(statuses.sort()).toEqual(["accepted", "duplicate"]);
    }
  });

  it("reads a comma typed for a space as the report meant, and the report as meant as its duplicate", async () => {
    const start = minutesAfter(T0, 240);
    const first = await fx.send("village_reporter", "U lm,bt, kb 3", { receivedAt: start });
    const caseId = caseIdOf(first.reply?.body);
    const stored = await fx.db.query(
      `SELECT c.species_code, c.animal_count,
              array(SELECT sign_code FROM case_signs WHERE case_id = c.id ORDER BY id) AS signs
       FROM cases c WHERE c.id = $1`,
      [caseId],
    );
    expect(stored.rows[0]).toEqual({ species_code: "KB", animal_count: 3, signs: ["LM", "BT"] });
    const resent = await fx.send("village_reporter", "U lm,bt kb 3", { receivedAt: minutesAfter(start, 4) });
    expect(resent.reply?.body).toBe(
      `[iSIKHNAS] Sudah diterima: [ID Kasus ${caseId}]. Tidak dicatat dua kali.`,
    );
    expect(await inbound(resent.inboundMessageId)).toMatchObject({
      status: "duplicate",
      case_id: caseId,
      duplicate_of: first.inboundMessageId,
    });
  });

  it("replies once to an unregistered number, then stays quiet for 24 hours", async () => {
    const stranger = { sender: "+62 812 9999 0001" };
    const first = await fx.send(stranger, "U mc sp 4");
    expect(first.reply).toMatchObject({ channel: "sms", address: "6281299990001" });
    expect(first.reply?.body).toContain("belum terdaftar");
    const second = await fx.send(stranger, "halo?", { receivedAt: minutesAfter(T0, 60) });
    expect(second.reply).toBeNull();
    expect(await inbound(second.inboundMessageId)).toMatchObject({ status: "unregistered", user_id: null });
    const nextDay = await fx.send(stranger, "halo?", { receivedAt: minutesAfter(T0, 25 * 60) });
    expect(nextDay.reply?.body).toContain("belum terdaftar");
  });

  it("never replies to short codes or alphanumeric senders", async () => {
    for (const sender of ["3636", "TELKOMSEL", "Info-BRI"]) {
      const result = await fx.send({ sender }, "Pulsa Anda tinggal Rp 500");
      expect(result.reply).toBeNull();
      expect(await inbound(result.inboundMessageId)).toMatchObject({ status: "ignored" });
    }
  });

  it("tells an inactive user their account is inactive", async () => {
    const id = await fx.userId("regional_coordinator");
    await fx.db.query("UPDATE users SET active = false WHERE id = $1", [id]);
    try {
      const result = await fx.send("regional_coordinator", "?");
      expect(result.reply?.body).toBe(
        "[iSIKHNAS] Akun Anda tidak aktif. Hubungi dinas peternakan kabupaten Anda.",
      );
    } finally {
      await fx.db.query("UPDATE users SET active = true WHERE id = $1", [id]);
    }
  });

  it("answers IM messages on the IM channel, with a configurable tag", async () => {
    const result = await fx.send(
      { sender: DEMO_USERS.champion.imId },
      "?",
      { channel: "im" },
      { systemTag: "[iSIKHNAS-TRAINING]" },
    );
    expect(result.reply).toMatchObject({ channel: "im", address: DEMO_USERS.champion.imId });
    expect(result.reply?.body).toMatch(
      /^\[iSIKHNAS-TRAINING\] U case; P priority; .*; Q question; .*\. Send a code alone for its format\.$/,
    );
  });
});
