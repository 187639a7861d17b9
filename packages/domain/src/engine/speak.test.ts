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
