import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { type IncomingSms, parseIncoming, parseSmsdTimestamp } from "./parse-incoming.js";

const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url));

async function message(name: string): Promise<IncomingSms> {
  const parsed = parseIncoming(await fixture(name));
  if (!parsed.ok) throw new Error(`${name}: ${parsed.reason}`);
  if (parsed.value.kind !== "message") throw new Error(`${name}: not a message`);
  return parsed.value;
}

describe("parseIncoming", () => {
  it("reads ISO-8859-15 text with smsd's headers", async () => {
    const sms = await message("iso.sms");
    expect(sms.from).toBe("6281234567001");
    expect(sms.text).toBe("U mc,dm sp 4 café €5");
    expect(sms.alphabet).toBe("iso");
    expect(sms.modem).toBe("GSM1");
    expect(sms.receivedAt).toEqual(new Date(2026, 2, 14, 9, 15, 7));
    expect(sms.udh).toBeUndefined();
    expect(sms.unknownHeaders).toEqual([]);
  });

  it("reads GSM text stored as UTF-8 (incoming_utf8) and Alphabet: UTF-8", async () => {
    expect((await message("gsm-utf8.sms")).text).toBe("U mc,dm sp 4 café €5");
    expect((await message("utf8.sms")).text).toBe("U mc,dm sp 4 café €5");
  });

  it("reads UCS2 bodies as big-endian UTF-16, surrogate pairs included", async () => {
    const sms = await message("ucs2.sms");
    expect(sms.alphabet).toBe("ucs2");
    expect(sms.text).toBe("U mc sp 2 — sapi sakit 🐄");
  });

  it("reads the user data header of a message part", async () => {
    const sms = await message("part2of3.sms");
    expect(Buffer.from(sms.udh!).toString("hex")).toBe("050003a70302");
  });

  it("ignores unknown headers, as smsd does, and names them", async () => {
    const sms = await message("unknown-header.sms");
    expect(sms.text).toBe("?");
    expect(sms.unknownHeaders).toEqual(["X-Operator-Note"]);
  });

  it("recognises a status report", async () => {
    const parsed = parseIncoming(await fixture("status-report.sms"));
    expect(parsed).toEqual({
      ok: true,
      value: {
        kind: "status-report",
        from: "6281234567001",
        messageId: "117",
        status: "0,Ok,short message received by the SME",
      },
    });
  });

  it.each([
    ["truncated.sms", /truncated/],
    ["truncated-headers.sms", /truncated: no blank line/],
    ["no-sender.sms", /no From: header/],
  ])("refuses %s with a reason", async (name, reason) => {
    const parsed = parseIncoming(await fixture(name));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it("refuses empty files, malformed headers, binary messages and smsd's decode errors", () => {
    const reasonOf = (text: string) => {
      const parsed = parseIncoming(Buffer.from(text, "latin1"));
      return parsed.ok ? "parsed" : parsed.reason;
    };
    expect(reasonOf("")).toBe("empty file");
    expect(reasonOf("From: 62812\nthis is not a header\n\nhello")).toMatch(/malformed header line 2/);
    expect(reasonOf("From: 62812\nAlphabet: binary\n\n\u0001\u0002")).toMatch(/binary/);
    expect(reasonOf("From: 62812\nError: Cannot decode PDU\n\n")).toMatch(/could not decode/);
    expect(reasonOf("From: 62812\nLength: 10\n\nshort")).toMatch(/truncated: Length: 10/);
  });
});

describe("parseSmsdTimestamp", () => {
  it("reads two- and four-digit years in local time", () => {
    expect(parseSmsdTimestamp("26-03-14 09:15:07")).toEqual(new Date(2026, 2, 14, 9, 15, 7));
    expect(parseSmsdTimestamp("2026-03-14 09:15:07")).toEqual(new Date(2026, 2, 14, 9, 15, 7));
    expect(parseSmsdTimestamp("yesterday")).toBeUndefined();
  });
});
