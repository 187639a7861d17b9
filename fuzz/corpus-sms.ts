// The SMS bad-input corpus: smsd incoming files that are damaged, lie about themselves, or
// carry text the command grammar was never meant for. Deterministic, so `npm run
// fuzz:corpus` rewrites the same files; the fuzzer mutates the same cases.
import { DEMO_USERS } from "@isikhnas/domain";

export interface CorpusFile {
  name: string;
  content: Buffer;
}

/** The demo village reporter as a handset in Indonesia sends the number. */
export const REGISTERED = `0${DEMO_USERS.village_reporter.phone.slice(2)}`;
export const UNREGISTERED = "081299999999";

interface Message {
  from?: string | undefined;
  alphabet?: string;
  headers?: string[];
  body: Buffer | string;
  /** Header/body separator. */
  separator?: string;
}

export function smsFile(message: Message): Buffer {
  const headers = [
    ...(message.from === undefined ? [] : [`From: ${message.from}`]),
    "From_SMSC: 6281100000",
    "Sent: 26-03-14 09:15:02",
    "Received: 26-03-14 09:15:07",
    "Subject: GSM1",
    ...(message.alphabet === undefined ? [] : [`Alphabet: ${message.alphabet}`]),
    ...(message.headers ?? []),
  ];
  const body = typeof message.body === "string" ? Buffer.from(message.body, "latin1") : message.body;
  return Buffer.concat([Buffer.from(headers.join("\n") + (message.separator ?? "\n\n"), "latin1"), body]);
}

function ucs2(text: string): Buffer {
  return Buffer.from(text, "utf16le").swap16();
}

function udh(reference: number, total: number, part: number): string {
  return ["05", "00", "03", reference, total, part]
    .map((byte) => (typeof byte === "number" ? byte.toString(16).padStart(2, "0").toUpperCase() : byte))
    .join(" ");
}

/** Texts a person (or a phone, or a spammer) might send; each is a case of its own. */
export const GRAMMAR_TEXTS: readonly string[] = [
  "",
  " ",
  "\n\n\n",
  "?",
  "??",
  "? ? ?",
  "U",
  "U U U U",
  "u mc",
  "U mc,dm",
  "U mc,dm sp",
  "U mc,dm sp 0",
  "U mc,dm sp -4",
  "U mc,dm sp 4.5",
  "U mc,dm sp 99999999999999999999",
  "U mc,dm sp 4 72060202 extra words here",
  "U ,,,,, sp 4",
  "U mc,,dm sp 4",
  "U mc, dm, sp 4",
  "U mc,dm, sp, 4",
  "U mc;dm sp 4",
  "U mc dm sp 4",
  "U MC,DM,MC,DM,MC,DM,MC,DM,MC,DM,MC,DM sp 4",
  "U xx sp 4",
  "U mc zz 4",
  "U mc sp 4 00000000",
  "U mc sp 4 7206020299",
  "U\tmc\tsp\t4",
  "U\u00a0mc\u00a0sp\u00a04",
  "U mc sp ４",
  "U mc sp 4️⃣",
  "Ｕ mc sp 4",
  "P",
  "P ai",
  "P ai ay",
  "P ai ay 20",
  "P ai ay 20 20 20 20",
  "P ai, ay 20",
  "P AI AY 1e9",
  "P AI AY 0x10",
  "PK",
  "PK 2238",
  "PK 2238 SB",
  "PK abc SB",
  "PK 2238, SB",
  "PK 999999999999 SB",
  "PK -1 SB",
  "LAB",
  "LAB 730801",
  "LAB 730801 1000 xx",
  "VAK",
  "VAK 101",
  "VAK 101 sp 10 72060202",
  "VAK 999 sp 10",
  "VAK 101 sp 10 10 10",
  "RP",
  "RP RPH7206",
  "RP RPH7206 sp 5 3",
  "RP RPH9999 sp 5 3",
  "POP",
  "POP sp 100",
  "POP sp -100",
  "H",
  "H H",
  "H 1000",
  "LAPD",
  "LAPD sp",
  "KODE",
  "KODE sp",
  "KODE ?",
  "KODE KODE KODE",
  "CKL",
  "CKL 1000",
  "CKL abc",
  "hello",
  "Selamat pagi pak, sapi saya sakit",
  "Terima kasih",
  "OK",
  "STOP",
  "REG 6281234",
  "'; DROP TABLE cases; --",
  "U mc' OR '1'='1 sp 4",
  "U %s%s%s%n sp 4",
  "U mc\\ sp 4",
  "U _ % sp 4",
  "<script>alert(1)</script>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the text an injection attempt would send
  "${process.exit(1)}",
  "{{7*7}}",
  "U mc sp 4 \u0000\u0000",
  "\u0000",
  "\u001b[31mU mc sp 4",
  "U\u200bmc\u200bsp\u200b4",
  "\ufeffU mc sp 4",
  "U mc sp 4\r\nU mc sp 5",
  "U mc sp 4\rP ai ay 2",
  "🐄🐄🐄",
  "U 🐄 sp 4",
  "ü é ñ ß € £ ¥",
  "Сап корова 4",
  "牛 病 4",
  "مرض البقر",
  "é".repeat(200),
  "U ".repeat(200),
  "9".repeat(400),
  "U mc,dm sp 4 ".repeat(40),
  `U ${"mc,".repeat(150)}mc sp 4`,
  "€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€",
];

/** Damaged and unusual spool files, each named after what is wrong with it. */
function damagedFiles(): CorpusFile[] {
  const files: [string, Buffer | string][] = [
    ["empty", Buffer.alloc(0)],
    ["only-newlines", Buffer.from("\n\n\n\n")],
    ["no-blank-line", Buffer.from(`From: ${REGISTERED}\nAlphabet: ISO\nU mc sp 4`)],
    ["headers-only", Buffer.from(`From: ${REGISTERED}\nAlphabet: ISO\n`)],
    ["headers-and-blank-line-no-body", Buffer.from(`From: ${REGISTERED}\nAlphabet: ISO\n\n`)],
    ["crlf", Buffer.from(`From: ${REGISTERED}\r\nAlphabet: ISO\r\n\r\nU mc sp 4`)],
    ["mixed-line-ends", Buffer.from(`From: ${REGISTERED}\r\nAlphabet: ISO\n\r\n\nU mc sp 4`)],
    ["cr-only", Buffer.from(`From: ${REGISTERED}\rAlphabet: ISO\r\rU mc sp 4`)],
    ["body-only", Buffer.from("U mc sp 4")],
    [
      "garbage-header",
      smsFile({ from: REGISTERED, alphabet: "ISO", headers: ["this is not a header"], body: "?" }),
    ],
    ["header-without-name", smsFile({ from: REGISTERED, alphabet: "ISO", headers: [": value"], body: "?" })],
    [
      "header-with-space-in-name",
      smsFile({ from: REGISTERED, alphabet: "ISO", headers: ["My Header: x"], body: "?" }),
    ],
    ["header-8bit-name", smsFile({ from: REGISTERED, alphabet: "ISO", headers: ["Ünknown: x"], body: "?" })],
    [
      "header-long",
      smsFile({ from: REGISTERED, alphabet: "ISO", headers: [`X-Long: ${"a".repeat(8000)}`], body: "?" }),
    ],
    [
      "many-headers",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: Array.from({ length: 500 }, (_, i) => `X-H${i}: ${i}`),
        body: "?",
      }),
    ],
    [
      "unknown-header",
      smsFile({ from: REGISTERED, alphabet: "ISO", headers: ["X-Modem-Vendor: Wavecom"], body: "?" }),
    ],
    ["no-from", smsFile({ alphabet: "ISO", body: "?" })],
    ["empty-from", smsFile({ from: "", alphabet: "ISO", body: "?" })],
    ["blank-from", smsFile({ from: "   ", alphabet: "ISO", body: "?" })],
    [
      "from-twice",
      smsFile({ from: REGISTERED, alphabet: "ISO", headers: [`From: ${UNREGISTERED}`], body: "?" }),
    ],
    ["from-alphanumeric", smsFile({ from: "TELKOMSEL", alphabet: "ISO", body: "Pulsa anda hampir habis" })],
    ["from-short-code", smsFile({ from: "3636", alphabet: "ISO", body: "?" })],
    ["from-unregistered", smsFile({ from: UNREGISTERED, alphabet: "ISO", body: "U mc sp 4" })],
    ["from-international-plus", smsFile({ from: `+62${REGISTERED.slice(1)}`, alphabet: "ISO", body: "?" })],
    ["from-with-letters", smsFile({ from: "0811abc0007", alphabet: "ISO", body: "?" })],
    ["from-very-long", smsFile({ from: "6".repeat(300), alphabet: "ISO", body: "?" })],
    ["from-slashes", smsFile({ from: "../../etc/passwd", alphabet: "ISO", body: "?" })],
    ["from-unicode", smsFile({ from: "🐄", alphabet: "ISO", body: "?" })],
    ["from-nul", smsFile({ from: "0811\u00000007", alphabet: "ISO", body: "?" })],
    [
      "smsd-error",
      smsFile({ from: REGISTERED, alphabet: "ISO", headers: ["Error: cannot decode PDU"], body: "" }),
    ],
    ["unknown-alphabet", smsFile({ from: REGISTERED, alphabet: "KLINGON", body: "?" })],
    ["empty-alphabet", smsFile({ from: REGISTERED, alphabet: "", body: "?" })],
    ["no-alphabet", smsFile({ from: REGISTERED, body: "?" })],
    ["alphabet-lowercase", smsFile({ from: REGISTERED, alphabet: "ucs2", body: ucs2("?") })],
    [
      "alphabet-binary",
      smsFile({ from: REGISTERED, alphabet: "binary", body: Buffer.from([0, 1, 2, 3, 255]) }),
    ],
    [
      "iso-latin9",
      smsFile({ from: REGISTERED, alphabet: "ISO", body: Buffer.from([0x55, 0x20, 0xa4, 0xe9, 0xfc]) }),
    ],
    [
      "iso-all-bytes",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        body: Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
      }),
    ],
    ["iso-nul-bytes", smsFile({ from: REGISTERED, alphabet: "ISO", body: Buffer.from([0x3f, 0, 0, 0]) })],
    [
      "utf8-valid",
      smsFile({ from: REGISTERED, alphabet: "UTF-8", body: Buffer.from("U mc sp 4 🐄", "utf8") }),
    ],
    [
      "utf8-invalid",
      smsFile({ from: REGISTERED, alphabet: "UTF-8", body: Buffer.from([0x55, 0x20, 0xc3, 0x28]) }),
    ],
    [
      "utf8-overlong",
      smsFile({ from: REGISTERED, alphabet: "UTF-8", body: Buffer.from([0xc0, 0xaf, 0x3f]) }),
    ],
    [
      "utf8-truncated-sequence",
      smsFile({ from: REGISTERED, alphabet: "UTF-8", body: Buffer.from([0x3f, 0xf0, 0x9f, 0x90]) }),
    ],
    ["utf8-bom", smsFile({ from: REGISTERED, alphabet: "UTF-8", body: Buffer.from("\ufeff?", "utf8") })],
    ["ucs2-valid", smsFile({ from: REGISTERED, alphabet: "UCS2", body: ucs2("U mc sp 4") })],
    ["ucs2-emoji", smsFile({ from: REGISTERED, alphabet: "UCS2", body: ucs2("🐄 sakit") })],
    [
      "ucs2-odd-bytes",
      smsFile({
        from: REGISTERED,
        alphabet: "UCS2",
        body: Buffer.concat([ucs2("U mc"), Buffer.from([0x00])]),
      }),
    ],
    ["ucs2-one-byte", smsFile({ from: REGISTERED, alphabet: "UCS2", body: Buffer.from([0x3f]) })],
    [
      "ucs2-lone-high-surrogate",
      smsFile({ from: REGISTERED, alphabet: "UCS2", body: Buffer.from([0xd8, 0x3d, 0x00, 0x3f]) }),
    ],
    [
      "ucs2-lone-low-surrogate",
      smsFile({ from: REGISTERED, alphabet: "UCS2", body: Buffer.from([0xdc, 0x04, 0x00, 0x3f]) }),
    ],
    [
      "ucs2-surrogate-at-end",
      smsFile({ from: REGISTERED, alphabet: "UCS2", body: Buffer.from([0x00, 0x3f, 0xd8, 0x3d]) }),
    ],
    [
      "ucs2-little-endian",
      smsFile({ from: REGISTERED, alphabet: "UCS2", body: Buffer.from("U mc sp 4", "utf16le") }),
    ],
    [
      "ucs2-bom",
      smsFile({
        from: REGISTERED,
        alphabet: "UCS2",
        body: Buffer.concat([Buffer.from([0xfe, 0xff]), ucs2("?")]),
      }),
    ],
    [
      "ucs2-reversed-bom",
      smsFile({
        from: REGISTERED,
        alphabet: "UCS2",
        body: Buffer.concat([Buffer.from([0xff, 0xfe]), ucs2("?")]),
      }),
    ],
    ["ucs2-nul", smsFile({ from: REGISTERED, alphabet: "UCS2", body: ucs2("?\u0000\u0000") })],
    ["ucs2-labelled-iso-body", smsFile({ from: REGISTERED, alphabet: "UCS2", body: "U mc sp 4" })],
    ["iso-labelled-ucs2-body", smsFile({ from: REGISTERED, alphabet: "ISO", body: ucs2("U mc sp 4") })],
    [
      "length-lies-longer",
      smsFile({ from: REGISTERED, alphabet: "ISO", headers: ["Length: 160"], body: "U mc" }),
    ],
    [
      "length-lies-shorter",
      smsFile({ from: REGISTERED, alphabet: "ISO", headers: ["Length: 2"], body: "U mc sp 4" }),
    ],
    [
      "length-not-a-number",
      smsFile({ from: REGISTERED, alphabet: "ISO", headers: ["Length: many"], body: "?" }),
    ],
    ["length-negative", smsFile({ from: REGISTERED, alphabet: "ISO", headers: ["Length: -5"], body: "?" })],
    [
      "length-huge",
      smsFile({ from: REGISTERED, alphabet: "ISO", headers: ["Length: 99999999999999999999"], body: "?" }),
    ],
    [
      "ucs2-length-lies",
      smsFile({ from: REGISTERED, alphabet: "UCS2", headers: ["Length: 70"], body: ucs2("U mc") }),
    ],
    [
      "received-garbage",
      smsFile({ from: REGISTERED, alphabet: "ISO", headers: [], body: "?" })
        .toString("latin1")
        .replace("26-03-14 09:15:07", "yesterday"),
    ],
    [
      "received-month-13",
      smsFile({ from: REGISTERED, alphabet: "ISO", body: "?" })
        .toString("latin1")
        .replace("Received: 26-03-14", "Received: 26-13-14"),
    ],
    [
      "received-year-9999",
      smsFile({ from: REGISTERED, alphabet: "ISO", body: "?" })
        .toString("latin1")
        .replace("Received: 26-03-14", "Received: 9999-03-14"),
    ],
    [
      "received-year-0000",
      smsFile({ from: REGISTERED, alphabet: "ISO", body: "?" })
        .toString("latin1")
        .replace("Received: 26-03-14", "Received: 0000-00-00"),
    ],
    [
      "received-hour-99",
      smsFile({ from: REGISTERED, alphabet: "ISO", body: "?" })
        .toString("latin1")
        .replace("09:15:07", "99:99:99"),
    ],
    [
      "status-report",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        body: "SMS STATUS REPORT\nMessage_id: 117\nStatus: 0,Ok,short message received by the SME",
      }),
    ],
    ["status-report-empty", smsFile({ from: REGISTERED, alphabet: "ISO", body: "SMS STATUS REPORT" })],
    [
      "status-report-garbage",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        body: "SMS STATUS REPORT\n\u0000\u0001\n:::::\nMessage_id:",
      }),
    ],
    [
      "status-report-ucs2",
      smsFile({ from: REGISTERED, alphabet: "UCS2", body: ucs2("SMS STATUS REPORT\nMessage_id: 3") }),
    ],
    [
      "udh-not-hex",
      smsFile({ from: REGISTERED, alphabet: "ISO", headers: ["UDH: true", "UDH-DATA: zz yy"], body: "?" }),
    ],
    [
      "udh-odd-digits",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", "UDH-DATA: 05 00 03 1"],
        body: "?",
      }),
    ],
    [
      "udh-empty",
      smsFile({ from: REGISTERED, alphabet: "ISO", headers: ["UDH: true", "UDH-DATA: "], body: "?" }),
    ],
    [
      "udh-length-zero",
      smsFile({ from: REGISTERED, alphabet: "ISO", headers: ["UDH: true", "UDH-DATA: 00"], body: "?" }),
    ],
    [
      "udh-length-longer-than-data",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", "UDH-DATA: FF 00 03 01 02"],
        body: "?",
      }),
    ],
    [
      "udh-ie-length-overruns",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", "UDH-DATA: 05 00 09 01 02 01"],
        body: "?",
      }),
    ],
    [
      "udh-total-zero",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", `UDH-DATA: ${udh(7, 0, 1)}`],
        body: "?",
      }),
    ],
    [
      "udh-part-zero",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", `UDH-DATA: ${udh(7, 2, 0)}`],
        body: "?",
      }),
    ],
    [
      "udh-part-over-total",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", `UDH-DATA: ${udh(7, 2, 3)}`],
        body: "?",
      }),
    ],
    [
      "udh-one-of-one",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", `UDH-DATA: ${udh(7, 1, 1)}`],
        body: "?",
      }),
    ],
    [
      "udh-only-other-elements",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", "UDH-DATA: 04 24 01 01 25"],
        body: "?",
      }),
    ],
    [
      "udh-16bit-reference",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", "UDH-DATA: 06 08 04 FF FF 02 01"],
        body: "U mc ",
      }),
    ],
    [
      "udh-1-of-255",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", `UDH-DATA: ${udh(9, 255, 1)}`],
        body: "U mc",
      }),
    ],
    [
      "udh-255-of-255",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", `UDH-DATA: ${udh(9, 255, 255)}`],
        body: " sp 4",
      }),
    ],
    [
      "udh-unregistered-part",
      smsFile({
        from: UNREGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", `UDH-DATA: ${udh(11, 2, 1)}`],
        body: "U mc",
      }),
    ],
    [
      "udh-alphanumeric-part",
      smsFile({
        from: "PROMO",
        alphabet: "ISO",
        headers: ["UDH: true", `UDH-DATA: ${udh(12, 2, 2)}`],
        body: "gratis",
      }),
    ],
    [
      "udh-ucs2-odd-part",
      smsFile({
        from: REGISTERED,
        alphabet: "UCS2",
        headers: ["UDH: true", `UDH-DATA: ${udh(13, 2, 1)}`],
        body: Buffer.from([0x00, 0x55, 0x00]),
      }),
    ],
    [
      "udh-ucs2-split-surrogate-1",
      smsFile({
        from: REGISTERED,
        alphabet: "UCS2",
        headers: ["UDH: true", `UDH-DATA: ${udh(14, 2, 1)}`],
        body: Buffer.from([0x00, 0x55, 0xd8, 0x3d]),
      }),
    ],
    [
      "udh-ucs2-split-surrogate-2",
      smsFile({
        from: REGISTERED,
        alphabet: "UCS2",
        headers: ["UDH: true", `UDH-DATA: ${udh(14, 2, 2)}`],
        body: Buffer.from([0xdc, 0x04, 0x00, 0x3f]),
      }),
    ],
    [
      "udh-3-parts-first-only",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", `UDH-DATA: ${udh(15, 3, 1)}`],
        body: "U mc,dm ",
      }),
    ],
    [
      "udh-3-parts-last-only",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", `UDH-DATA: ${udh(16, 3, 3)}`],
        body: " 72060202",
      }),
    ],
    [
      "udh-part-repeated-a",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", `UDH-DATA: ${udh(17, 2, 1)}`],
        body: "U mc ",
      }),
    ],
    [
      "udh-part-repeated-b",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", `UDH-DATA: ${udh(17, 2, 1)}`],
        body: "P ai ",
      }),
    ],
    [
      "udh-mixed-alphabets-1",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", `UDH-DATA: ${udh(18, 2, 1)}`],
        body: "U mc ",
      }),
    ],
    [
      "udh-mixed-alphabets-2",
      smsFile({
        from: REGISTERED,
        alphabet: "UCS2",
        headers: ["UDH: true", `UDH-DATA: ${udh(18, 2, 2)}`],
        body: ucs2("sp 4"),
      }),
    ],
    [
      "udh-same-reference-other-total",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", `UDH-DATA: ${udh(18, 3, 2)}`],
        body: "dm ",
      }),
    ],
    [
      "udh-binary-part",
      smsFile({
        from: REGISTERED,
        alphabet: "binary",
        headers: ["UDH: true", `UDH-DATA: ${udh(19, 2, 1)}`],
        body: Buffer.from([1, 2, 3]),
      }),
    ],
    [
      "udh-error-part",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["Error: PDU damaged", "UDH: true", `UDH-DATA: ${udh(20, 2, 1)}`],
        body: "",
      }),
    ],
    [
      "udh-status-report",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", `UDH-DATA: ${udh(21, 2, 1)}`],
        body: "SMS STATUS REPORT\nStatus: 0",
      }),
    ],
    [
      "udh-spaces-in-hex",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        headers: ["UDH: true", "UDH-DATA:05000322   0201"],
        body: "sp 4",
      }),
    ],
    ["body-20k", smsFile({ from: REGISTERED, alphabet: "ISO", body: "U mc sp 4 ".repeat(2000) })],
    [
      "body-control-characters",
      smsFile({
        from: REGISTERED,
        alphabet: "ISO",
        body: Buffer.from(Array.from({ length: 32 }, (_, i) => i)),
      }),
    ],
    ["body-only-nul", smsFile({ from: REGISTERED, alphabet: "ISO", body: Buffer.alloc(160) })],
    [
      "body-gsm-escape-bytes",
      smsFile({ from: REGISTERED, alphabet: "GSM", body: Buffer.from([0x1b, 0x65, 0x1b, 0x3c]) }),
    ],
  ];
  return files.map(([name, content]) => ({
    name: `${name}.sms`,
    content: typeof content === "string" ? Buffer.from(content, "latin1") : content,
  }));
}

export function smsCorpus(): CorpusFile[] {
  const grammar = GRAMMAR_TEXTS.flatMap((text, index) => {
    const number = String(index + 1).padStart(3, "0");
    return [
      {
        name: `grammar-${number}-iso.sms`,
        content: smsFile({ from: REGISTERED, alphabet: "ISO", body: Buffer.from(text, "utf8") }),
      },
      {
        name: `grammar-${number}-ucs2.sms`,
        content: smsFile({ from: REGISTERED, alphabet: "UCS2", body: ucs2(text) }),
      },
    ];
  });
  return [...damagedFiles(), ...grammar];
}
