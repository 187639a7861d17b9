// Replies as iSIKHNAS users were trained to read them (issue 17): the wiki's code-list
// names, words instead of codes, errors that name what is wrong, one SMS in GSM-7.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gsm7Length } from "../messages/gsm7.js";
import { caseIdOf, createEngineFixture, type EngineFixture } from "../testing/engine.js";

let fx: EngineFixture;

beforeAll(async () => {
  fx = await createEngineFixture();
});
afterAll(async () => {
  await fx.close();
});

/** The reply's septets, or Infinity when it left GSM-7 (it would go as UCS-2). */
function septets(body: string | undefined): number {
  return gsm7Length(body ?? "") ?? Number.POSITIVE_INFINITY;
}

describe("code lists by the wiki's names", () => {
  it("answers KODE TAN, SIN, PK and SL, and still the stored names TK, SN, HS, BL", async () => {
    const tan = await fx.send("village_reporter", "KODE TAN");
    expect(tan.reply?.body).toMatch(/^\[iSIKHNAS\] TAN: DM demam; MC mencret; /);
    expect((await fx.send("village_reporter", "kode tk")).reply?.body).toBe(tan.reply?.body);
    expect((await fx.send("village_reporter", "KODE SIN")).reply?.body).toMatch(
      /^\[iSIKHNAS\] SIN: AI unggas /,
    );
    expect((await fx.send("village_reporter", "KODE SN")).reply?.body).toMatch(/^\[iSIKHNAS\] SIN: AI /);
    expect((await fx.send("village_reporter", "KODE PK")).reply?.body).toBe(
      "[iSIKHNAS] PK: SB sembuh; MS masih sakit; MT mati",
    );
    expect((await fx.send("village_reporter", "KODE HS")).reply?.body).toBe(
      "[iSIKHNAS] PK: SB sembuh; MS masih sakit; MT mati",
    );
    expect((await fx.send("district_vet", "KODE SL")).reply?.body).toMatch(
      /^\[iSIKHNAS\] SL: PAR parasitology; /,
    );
    expect((await fx.send("district_vet", "KODE BL")).reply?.body).toMatch(/^\[iSIKHNAS\] SL: PAR /);
  });

  it("lists the species as the wiki does, other poultry included, in two SMS parts at most", async () => {
    // The wiki's own 16 species in its `AY ayam; IT itik` form are 168 characters before the
    // tag: the list cannot fit one SMS, so it goes as a two-part message, never UCS-2.
    const id = await fx.send("village_reporter", "KODE SP");
    expect(id.reply?.body).toMatch(
      /^\[iSIKHNAS\] SP: AY ayam; IT itik; AG angsa; EG entog; UL unggas lain; MP merpati; /,
    );
    expect(septets(id.reply?.body)).toBeLessThanOrEqual(2 * 153);
    const en = await fx.send("district_vet", "KODE SP");
    expect(en.reply?.body).toContain("UL other poultry");
    expect(septets(en.reply?.body)).toBeLessThanOrEqual(2 * 153);
  });

  it("lists the lists by their wiki names in one SMS", async () => {
    const id = await fx.send("village_reporter", "KODE");
    expect(id.reply?.body).toBe(
      "[iSIKHNAS] KODE: SP spesies; TAN tanda; SIN sindrom; PN penyakit; PK hasil kasus; JS jenis spesimen; BS bentuk spesimen; SL seksi lab; KP kelas populasi",
    );
    expect(septets(id.reply?.body)).toBeLessThanOrEqual(160);
    const en = await fx.send("champion", "KODE");
    expect(en.reply?.body).toContain("TAN signs; SIN syndromes; PN diseases; PK outcomes");
    expect(septets(en.reply?.body)).toBeLessThanOrEqual(160);
  });

  it("accepts UL in a case report", async () => {
    const result = await fx.send("village_reporter", "U mc ul 30");
    expect(result.reply?.body).toMatch(/\[ID Kasus \d+\]/);
  });
});

describe("replies and alerts in words", () => {
  it("U names signs, species and place in the sender's and each officer's language", async () => {
    const result = await fx.send("village_reporter", "U mc,dm sp 4");
    const caseId = caseIdOf(result.reply?.body);
    expect(result.reply?.body).toBe(
      `[iSIKHNAS] [ID Kasus ${caseId}]. 4 sapi (mencret, demam) di Lemo, Bungku Tengah, Morowali. Terima kasih.`,
    );
    const vet = result.alerts.find((a) => a.body.startsWith("[iSIKHNAS] New case"));
    expect(vet?.body).toBe(
      `[iSIKHNAS] New case ${caseId}: 4 cattle (diarrhoea, fever) at Lemo, Bungku Tengah, Morowali. Reporter: Budi Pelsa`,
    );
    for (const message of [result.reply, ...result.alerts])
      expect(septets(message?.body)).toBeLessThanOrEqual(160);
  });

  it("U keeps to one SMS with many signs by naming fewer places, then codes", async () => {
    const result = await fx.send("village_reporter", "U mc,dm,bt,sn,nm,lm,pc,lp,li,kj sp 4");
    expect(septets(result.reply?.body)).toBeLessThanOrEqual(160);
    for (const alert of result.alerts) expect(septets(alert.body)).toBeLessThanOrEqual(160);
  });

  it("P names the syndrome in words", async () => {
    const result = await fx.send("village_reporter", "P ai ay 20");
    expect(result.reply?.body).toMatch(
      /^\[iSIKHNAS\] \[ID Kasus \d+\]\. PRIORITAS AI unggas mati mendadak: 20 ayam di Lemo, Bungku Tengah/,
    );
    for (const message of [result.reply, ...result.alerts]) {
      if (message?.channel === "sms") expect(septets(message.body)).toBeLessThanOrEqual(160);
    }
    const mail = await fx.db.query<{ body: string }>(
      "SELECT body FROM outbound_messages WHERE inbound_message_id = $1 AND channel = 'email' LIMIT 1",
      [result.inboundMessageId],
    );
    expect(mail.rows[0]?.body).toContain("di Lemo, Bungku Tengah, Morowali. Pelapor: Budi Pelsa");
  });

  it("LAB says what was sent where, as the wiki's reply does", async () => {
    const created = await fx.send("paravet", "U mc sp 3 72060202");
    const caseId = caseIdOf(created.reply?.body);
    const result = await fx.send("paravet", `LAB ${caseId} FES SG PAR 2 730801`);
    expect(result.reply?.body).toBe(
      `[iSIKHNAS] [ID Kasus ${caseId}]. Spesimen dikirim ke Laboratorium Keswan Bone: 2 feses segar untuk parasitologi dari Lemo, Bungku Tengah, Morowali.`,
    );
    expect(septets(result.reply?.body)).toBeLessThanOrEqual(160);
    expect(result.alerts[0]?.body).toContain("2 feses segar untuk parasitologi");
  });

  it("VAK, RP and POP name the species", async () => {
    expect((await fx.send("paravet", "VAK 101 72060202 sp 10 2 kb 5")).reply?.body).toContain(
      "sapi 10+2, kambing 5",
    );
    expect((await fx.send("abattoir_reporter", "RP RPH7206 sp 3 2")).reply?.body).toContain("sapi 3/2");
    expect((await fx.send("village_reporter", "POP sp 120 kb 40")).reply?.body).toContain(
      "sapi 120, kambing 40",
    );
  });
});

describe("errors that say what is wrong", () => {
  it("tells that signs are separated by commas", async () => {
    expect((await fx.send("village_reporter", "U mc dm sp 11")).reply?.body).toBe(
      "[iSIKHNAS] Tanda klinis dipisah koma: U MC,DM SP 11",
    );
    expect((await fx.send("district_vet", "U mc sp 4 72060202 coc sal")).reply?.body).toBe(
      "[iSIKHNAS] Differential diagnoses are separated by commas: U MC SP 4 72060202 COC,SAL",
    );
  });

  it("names trailing words instead of giving the bare format", async () => {
    const reply = (await fx.send("village_reporter", "PK 123 SB terima kasih")).reply?.body;
    expect(reply).toMatch(/^\[iSIKHNAS\] Kata berlebih 'TERIMA KASIH'\. Format: PK /);
  });

  it("PK with an unknown outcome lists SB, MS and MT", async () => {
    const created = await fx.send("village_reporter", "U dm sp 5");
    const caseId = caseIdOf(created.reply?.body);
    expect((await fx.send("village_reporter", `PK ${caseId} XX`)).reply?.body).toBe(
      "[iSIKHNAS] Hasil 'XX' tidak dikenal. Pilih: SB sembuh; MS masih sakit; MT mati",
    );
  });

  it("RP's format names a slaughterhouse that exists", async () => {
    const reply = (await fx.send("abattoir_reporter", "RP")).reply?.body ?? "";
    const id = /Contoh: RP (\S+)/.exec(reply)?.[1];
    const found = await fx.db.query(
      "SELECT 1 FROM infrastructure WHERE code = $1 AND kind = 'slaughterhouse'",
      [id],
    );
    expect(found.rows).toHaveLength(1);
  });

  it("starts Indonesian replies with a capital", async () => {
    expect((await fx.send("village_reporter", "U mc sp 0")).reply?.body).toBe(
      "[iSIKHNAS] Jumlah 0 di luar batas (1-100000).",
    );
    expect((await fx.send("village_reporter", "U mc,zz sp 4")).reply?.body).toMatch(
      /^\[iSIKHNAS\] Tanda klinis 'ZZ'/,
    );
  });

  it("never echoes emoji or other non-GSM text", async () => {
    for (const text of ["halo 😀", "U mc sp 😀", "KODE 日本", "CKL 😀😀😀 desa"]) {
      const reply = (await fx.send("village_reporter", text)).reply?.body;
      expect(reply, text).toBeDefined();
      expect(septets(reply), `${text} → ${reply}`).toBeLessThanOrEqual(160);
    }
  });
});

describe("the next commands", () => {
  it("? lists the codes the sender may use, each with a word", async () => {
    const reporter = (await fx.send("village_reporter", "?")).reply?.body ?? "";
    expect(reporter).toMatch(/^\[iSIKHNAS\] U kasus; P prioritas; PK hasil kasus; POP populasi; /);
    expect(reporter).toContain("KOM komentar");
    expect(reporter).toContain("Q tanya");
    expect(reporter).not.toContain("LAB");
    const abattoir = (await fx.send("abattoir_reporter", "?")).reply?.body ?? "";
    expect(abattoir).toContain("RP potong");
    expect(abattoir).not.toMatch(/\bU kasus/);
    const vet = (await fx.send("district_vet", "?")).reply?.body ?? "";
    expect(vet).toContain("LAB specimens");
    for (const reply of [reporter, abattoir, vet]) expect(septets(reply)).toBeLessThanOrEqual(3 * 153);
  });

  it("KOM stores a comment on a case as typed", async () => {
    const created = await fx.send("village_reporter", "U mc sp 2");
    const caseId = caseIdOf(created.reply?.body);
    const result = await fx.send("village_reporter", `KOM ${caseId} Sapi sudah diberi obat cacing`);
    expect(result.reply?.body).toBe(`[iSIKHNAS] [ID Kasus ${caseId}]. Komentar dicatat.`);
    const notes = await fx.db.query(
      "SELECT detail->>'text' AS text FROM case_events WHERE case_id = $1 AND kind = 'note'",
      [caseId],
    );
    expect(notes.rows).toEqual([{ text: "Sapi sudah diberi obat cacing" }]);
    expect((await fx.send("village_reporter", `KOM ${caseId}`)).reply?.body).toMatch(
      /^\[iSIKHNAS\] Teks tidak ada/,
    );
    expect((await fx.send("village_reporter", "KOM 999999 halo")).reply?.body).toBe(
      "[iSIKHNAS] Kasus 999999 tidak ditemukan.",
    );
  });

  it("CKT, CKP and CKO find codes by their words", async () => {
    expect((await fx.send("village_reporter", "CKT demam")).reply?.body).toBe("[iSIKHNAS] DM demam");
    expect((await fx.send("village_reporter", "CKP rabies")).reply?.body).toBe(
      "[iSIKHNAS] RB gigitan/perilaku mirip rabies",
    );
    expect((await fx.send("district_vet", "CKO dead")).reply?.body).toBe("[iSIKHNAS] MT dead");
    expect((await fx.send("village_reporter", "CKT zebra")).reply?.body).toBe(
      "[iSIKHNAS] Tidak ada kode untuk 'ZEBRA'.",
    );
  });

  it("DKL lists the places inside a place, the sender's sub-district by default", async () => {
    expect((await fx.send("village_reporter", "DKL")).reply?.body).toBe(
      "[iSIKHNAS] Bungku Tengah: 72060201 Bente; 72060202 Lemo; 72060203 Marsaoleh",
    );
    expect((await fx.send("village_reporter", "DKL 7206")).reply?.body).toBe(
      "[iSIKHNAS] Morowali: 720602 Bungku Tengah; 720603 Bumi Raya",
    );
    expect((await fx.send("village_reporter", "DKL 7299")).reply?.body).toContain(
      "Lokasi 7299 tidak dikenal",
    );
  });

  it("LAPK lists the sender's last cases", async () => {
    const created = await fx.send("paravet", "U dm kb 7 72060201");
    const caseId = caseIdOf(created.reply?.body);
    const reply = (await fx.send("paravet", "LAPK")).reply?.body ?? "";
    expect(reply).toMatch(new RegExp(`^\\[iSIKHNAS\\] Kasus Anda: ${caseId} 02/06 7 KB Bente -`));
    expect(septets(reply)).toBeLessThanOrEqual(160);
  });

  it("PNEG records that a village had nothing to report, once a day", async () => {
    const first = await fx.send("village_reporter", "PNEG");
    expect(first.reply?.body).toBe(
      "[iSIKHNAS] Laporan nihil Lemo (72060202) 2025-06-02 dicatat. Terima kasih.",
    );
    const again = await fx.send("village_reporter", "pneg 72060202", {
      receivedAt: new Date("2025-06-02T05:00:00Z"),
    });
    expect(again.reply?.body).toBe("[iSIKHNAS] Laporan nihil Lemo (72060202) 2025-06-02 sudah dicatat.");
    const rows = await fx.db.query(
      "SELECT count(*)::int AS n FROM negative_reports WHERE deleted_at IS NULL",
    );
    expect(rows.rows[0]).toEqual({ n: 1 });
  });

  it("Q forwards the question to the coordinators of the sender's area", async () => {
    const result = await fx.send("village_reporter", "Q Bagaimana melapor ayam mati mendadak?");
    expect(result.reply?.body).toBe(
      "[iSIKHNAS] Pertanyaan diteruskan ke 2 koordinator. Mereka akan menghubungi Anda.",
    );
    expect(result.alerts).toHaveLength(2);
    for (const alert of result.alerts) {
      expect(alert.body).toMatch(
        /^\[iSIKHNAS\] Pertanyaan dari Budi Pelsa \(\d+\): Bagaimana melapor ayam mati mendadak\?$/,
      );
    }
  });

  it("SK issues a movement permit in the wiki's format and VSK checks it", async () => {
    const issued = await fx.send("paravet", "SK 7206011 72060202 73080101 SP 10 KB 5 081234567890");
    const reply = issued.reply?.body ?? "";
    expect(reply).toMatch(
      /^\[iSIKHNAS\] SKKH nomor \d+ untuk pemilik ID 7206011\. Hewan: 10 sapi, 5 kambing\. Asal: Lemo.*\. Tujuan: Watampone/,
    );
    expect(septets(reply)).toBeLessThanOrEqual(160);
    const permitId = Number(/nomor (\d+)/.exec(reply)?.[1]);
    const stored = await fx.db.query(
      `SELECT p.owner_ref, p.owner_phone, array(SELECT species_code || ' ' || animal_count FROM movement_permit_animals
         WHERE permit_id = p.id ORDER BY id) AS animals FROM movement_permits p WHERE p.id = $1`,
      [permitId],
    );
    expect(stored.rows[0]).toEqual({
      owner_ref: "7206011",
      owner_phone: "081234567890",
      animals: ["SP 10", "KB 5"],
    });
    const check = await fx.send("district_coordinator", `VSK ${permitId}`);
    expect(check.reply?.body).toMatch(
      new RegExp(
        `^\\[iSIKHNAS\\] SKKH ${permitId} sah, 02/06: pemilik ID 7206011\\. Hewan: 10 sapi, 5 kambing\\.`,
      ),
    );
    expect(septets(check.reply?.body)).toBeLessThanOrEqual(160);
    expect((await fx.send("district_coordinator", "VSK 999999")).reply?.body).toBe(
      "[iSIKHNAS] SKKH 999999 tidak ditemukan.",
    );
    expect((await fx.send("paravet", "SK 7206011 73080101 72060202 SP 10")).reply?.body).toContain(
      "di luar wilayah",
    );
    expect((await fx.send("village_reporter", "SK 7206011 72060202 73080101 SP 10")).reply?.body).toContain(
      "tidak boleh mengirim SK",
    );
  });

  it("CUL records animals culled under a program, and H withdraws them", async () => {
    const result = await fx.send("paravet", "CUL 201 72060202 ay 50 it 10");
    expect(result.reply?.body).toBe(
      "[iSIKHNAS] Pemusnahan 201 di Lemo (72060202) dicatat: ayam 50, itik 10.",
    );
    const rows = await fx.db.query(
      "SELECT species_code, animal_count FROM culling_reports WHERE inbound_message_id = $1 ORDER BY id",
      [result.inboundMessageId],
    );
    expect(rows.rows).toEqual([
      { species_code: "AY", animal_count: 50 },
      { species_code: "IT", animal_count: 10 },
    ]);
    expect((await fx.send("paravet", "CUL 999 72060202 ay 5")).reply?.body).toBe(
      "[iSIKHNAS] Program '999' tidak dikenal.",
    );
    const withdrawn = await fx.send("paravet", "H", { receivedAt: new Date("2025-06-02T02:30:00Z") });
    expect(withdrawn.reply?.body).toContain("CUL 201");
    const left = await fx.db.query(
      "SELECT count(*)::int AS n FROM culling_reports WHERE inbound_message_id = $1 AND deleted_at IS NULL",
      [result.inboundMessageId],
    );
    expect(left.rows[0]).toEqual({ n: 0 });
  });

  it("R records a response's diagnoses on the case and OB a treatment", async () => {
    const created = await fx.send("paravet", "U mc sp 4 72060202");
    const caseId = caseIdOf(created.reply?.body);
    expect((await fx.send("district_coordinator", `R ${caseId} coc,sal`)).reply?.body).toBe(
      `[iSIKHNAS] [ID Kasus ${caseId}]. Respons dicatat: koksidiosis, salmonelosis.`,
    );
    const ddx = await fx.db.query(
      "SELECT disease_code FROM case_differential_diagnoses WHERE case_id = $1 ORDER BY rank",
      [caseId],
    );
    expect(ddx.rows).toEqual([{ disease_code: "COC" }, { disease_code: "SAL" }]);
    expect((await fx.send("district_vet", `OB ${caseId} oxy 4`)).reply?.body).toBe(
      `[iSIKHNAS] [Case ID ${caseId}]. Treatment OXY of 4 animals recorded.`,
    );
    const events = await fx.db.query(
      "SELECT kind, detail FROM case_events WHERE case_id = $1 AND kind IN ('response', 'treatment') ORDER BY id",
      [caseId],
    );
    expect(events.rows).toEqual([
      { kind: "response", detail: { diagnoses: ["COC", "SAL"] } },
      { kind: "treatment", detail: { drug: "OXY", animals: 4 } },
    ]);
    expect((await fx.send("district_vet", `R ${caseId} zzz`)).reply?.body).toContain(
      "Unknown differential diagnoses 'ZZZ'",
    );
  });

  it("tells an unregistered number whom to ask to register", async () => {
    const result = await fx.send({ sender: "081299990077" }, "U mc sp 4");
    expect(result.reply?.body).toBe(
      "[iSIKHNAS] Nomor ini belum terdaftar di iSIKHNAS. Untuk mendaftar, hubungi koordinator iSIKHNAS di dinas peternakan kabupaten Anda.",
    );
    expect(septets(result.reply?.body)).toBeLessThanOrEqual(160);
  });
});

describe("every reply in GSM-7, in one SMS unless it is a list", () => {
  // Lists longer than one SMS go as a multi-part message; everything else fits one.
  const LISTS = new Set(["?", "KODE SP", "KODE TAN", "KODE PN", "KODE JS"]);
  const MESSAGES = [
    ...["U", "P", "PK", "LAB", "VAK", "RP", "POP", "H", "LAPD", "KODE", "CKL", "?"],
    ...["KOM", "CKT", "CKP", "CKO", "DKL", "LAPK", "PNEG", "Q"],
    "U mc,dm sp 4 72060202 coc,sal",
    "U mc sp",
    "U mc dm sp 11",
    "U mc sp 4 72060202 coc sal",
    "U mc,dm sp 4 72060202 coc 12",
    "U mc,zz sp 4",
    "P ai ay 20 72060202 hpai",
    "P zz ay 2 72060202 hpai",
    "PK 999999 SB",
    "PK 1000 XX",
    "PK 1000 SB terima kasih",
    "LAB 1000 FES SG PAR 2 730801",
    "LAB 1000 FES SG 2 999999",
    "VAK 101 72060202 sp 10 2 kb 5",
    "VAK 999 72060202 sp 10",
    "RP RPH7206 sp 3 2 kb 0 4",
    "RP RPH9999 sp 3 2",
    "POP sp 120 kb 40",
    "LAPD 72060202",
    "KODE SP",
    "KODE TAN",
    "KODE PK",
    "KODE ZZ",
    "CKL lemo",
    "CKL atlantis",
    "KOM 1000 sudah diobati",
    "CKT demam",
    "CKP rabies",
    "CKO mati",
    "DKL 7206",
    "LAPK",
    "PNEG",
    "Q kapan vaksinasi rabies?",
    "SK 7206011 72060202 73080101 SP 10 KB 5 081234567890",
    "SK 7206011 72060202 72060202 SP 10",
    "VSK 1",
    "CUL 201 72060202 ay 50 it 10",
    "CUL 999 72060202 ay 5",
    "R 1000 coc,sal",
    "R 1000 coc sal",
    "OB 1000 oxy 4",
    "VSK 999999",
    "halo 😀",
    "U mc sp 4 😀😀😀",
    "H",
  ];
  for (const user of ["district_vet", "district_coordinator"] as const) {
    it(`answers ${user} within the limits`, async () => {
      await fx.send(user, "U mc sp 4 72060202 coc");
      for (const text of MESSAGES) {
        const result = await fx.send(user, text);
        const limit = LISTS.has(text) ? 3 * 153 : 160;
        for (const message of [result.reply, ...result.alerts]) {
          if (message === null || message?.channel === "email") continue;
          expect(septets(message?.body), `${text} → ${message?.body}`).toBeLessThanOrEqual(limit);
        }
      }
    });
  }
});
