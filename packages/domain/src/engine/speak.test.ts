// Replies as iSIKHNAS users were trained to read them (issue 17): the wiki's code-list
// names, words instead of codes, errors that name what is wrong, one SMS in GSM-7.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gsm7Length } from "../messages/gsm7.js";
import { createEngineFixture, type EngineFixture } from "../testing/engine.js";

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

function caseIdOf(body: string | undefined): number {
  const match = /(?:Case ID|ID Kasus) (\d+)/.exec(body ?? "");
  if (!match?.[1]) throw new Error(`no case id in ${body}`);
  return Number(match[1]);
}

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
