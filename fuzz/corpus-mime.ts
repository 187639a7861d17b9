// The MIME bad-input corpus: mails that are damaged, enormous in one dimension, nested,
// mislabelled or hostile. FROM_ADDRESS, TO_ADDRESS and MSGTAG are filled in by the test
// (a registered uploader, the ingest address, a unique tag), as in the hand-made fixtures.
import type { CorpusFile } from "./corpus-sms.js";
import { workbookCorpus } from "./corpus-workbooks.js";

const CRLF = "\r\n";

interface Mail {
  headers?: string[];
  /** Replaces the standard From/To/Subject/Message-ID/MIME-Version block. */
  replaceHeaders?: boolean;
  contentType?: string;
  body: string | Buffer;
}

function mail(tag: string, message: Mail): Buffer {
  const standard = [
    "From: Andi RPH <FROM_ADDRESS>",
    "To: TO_ADDRESS",
    `Subject: corpus ${tag}`,
    `Message-ID: <${tag}-MSGTAG@mail.example>`,
    "MIME-Version: 1.0",
  ];
  const headers = [
    ...(message.replaceHeaders ? [] : standard),
    ...(message.headers ?? []),
    ...(message.contentType ? [`Content-Type: ${message.contentType}`] : []),
  ];
  const body = typeof message.body === "string" ? Buffer.from(message.body, "latin1") : message.body;
  return Buffer.concat([Buffer.from(headers.join(CRLF) + CRLF + CRLF, "latin1"), body]);
}

function base64Lines(content: Buffer): string {
  return (content.toString("base64").match(/.{1,76}/g) ?? []).join(CRLF);
}

function part(headers: string[], body: string): string {
  return headers.join(CRLF) + CRLF + CRLF + body + CRLF;
}

function multipart(boundary: string, parts: string[], close = true): string {
  return `${parts.map((p) => `--${boundary}${CRLF}${p}`).join("")}${close ? `--${boundary}--${CRLF}` : ""}`;
}

function attachment(filename: string, content: Buffer, type = "application/octet-stream"): string {
  return part(
    [
      `Content-Type: ${type}; name="${filename}"`,
      `Content-Disposition: attachment; filename="${filename}"`,
      "Content-Transfer-Encoding: base64",
    ],
    base64Lines(content),
  );
}

const TEXT = part(["Content-Type: text/plain; charset=utf-8"], "Laporan terlampir.");

export async function mimeCorpus(): Promise<CorpusFile[]> {
  const workbooks = new Map((await workbookCorpus()).map((file) => [file.name, file.content]));
  const valid = workbooks.get("valid.xlsx")!;
  const bomb = workbooks.get("bomb-ratio.xlsx")!;
  const xlsm = workbooks.get("xlsm-vba.xlsm")!;
  const encrypted = workbooks.get("encrypted.xlsx")!;
  const legacy = workbooks.get("legacy.xls")!;
  const truncated = workbooks.get("truncated-50pct.xlsx")!;
  const withWorkbook = (name = "data.xlsx", content = valid, type?: string) =>
    multipart("b", [TEXT, attachment(name, content, type)]);
  const nestRfc822 = (depth: number): string =>
    depth === 0
      ? `From: FROM_ADDRESS${CRLF}Subject: inner${CRLF}Content-Type: multipart/mixed; boundary="n0"${CRLF}${CRLF}${multipart("n0", [TEXT, attachment("nested.xlsx", valid)])}`
      : `From: FROM_ADDRESS${CRLF}Subject: level ${depth}${CRLF}Content-Type: multipart/mixed; boundary="n${depth}"${CRLF}${CRLF}${multipart(`n${depth}`, [TEXT, part(["Content-Type: message/rfc822"], nestRfc822(depth - 1))])}`;
  const nestMultipart = (depth: number): string =>
    depth === 0
      ? attachment("deep.xlsx", valid)
      : part(
          [`Content-Type: multipart/mixed; boundary="d${depth}"`],
          multipart(`d${depth}`, [nestMultipart(depth - 1)]),
        );

  const cases: [string, Mail | Buffer][] = [
    ["empty", Buffer.alloc(0)],
    ["one-newline", Buffer.from(CRLF)],
    ["body-only", Buffer.from(`${CRLF}just a body, no headers${CRLF}`)],
    ["garbage-bytes", Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 131 + 7) % 256))],
    ["headers-no-blank-line", Buffer.from(`From: FROM_ADDRESS${CRLF}To: TO_ADDRESS${CRLF}Subject: x`)],
    ["header-truncated-mid-line", Buffer.from(`From: FROM_ADDRESS${CRLF}To: TO_ADD`)],
    ["header-continuation-first", Buffer.from(` folded first line${CRLF}From: FROM_ADDRESS${CRLF}${CRLF}x`)],
    ["header-no-colon", { headers: ["this line has no colon"], body: "x" }],
    ["header-8bit-utf8-subject", { headers: [], body: "x", contentType: "text/plain" }],
    [
      "header-8bit-latin1",
      {
        replaceHeaders: true,
        headers: [
          "From: Andi Ré <FROM_ADDRESS>",
          "To: TO_ADDRESS",
          "Subject: réponse à été",
          "Message-ID: <latin1-MSGTAG@x>",
        ],
        body: "x",
      },
    ],
    [
      "header-8bit-utf8",
      {
        replaceHeaders: true,
        headers: [
          `From: ${Buffer.from("Ándi 🐄", "utf8").toString("latin1")} <FROM_ADDRESS>`,
          "To: TO_ADDRESS",
          `Subject: ${Buffer.from("Laporan 🐄 sapi", "utf8").toString("latin1")}`,
          "Message-ID: <utf8-MSGTAG@x>",
        ],
        body: withWorkbook(),
        contentType: 'multipart/mixed; boundary="b"',
      },
    ],
    [
      "header-encoded-word-broken",
      { headers: ["Subject: =?utf-8?B?!!!notbase64?= =?utf-8?Q?=ZZ?="], body: "x" },
    ],
    ["header-encoded-word-unknown-charset", { headers: ["Subject: =?x-klingon?B?SGVsbG8=?="], body: "x" }],
    ["header-huge-subject", { headers: [`Subject: ${"a".repeat(100_000)}`], body: "x" }],
    [
      "header-huge-folded",
      { headers: [`X-Folded: ${Array.from({ length: 5000 }, () => "word").join(`${CRLF} `)}`], body: "x" },
    ],
    ["header-many", { headers: Array.from({ length: 10_000 }, (_, i) => `X-H${i}: ${i}`), body: "x" }],
    [
      "header-references-flood",
      {
        headers: [`References: ${Array.from({ length: 5000 }, (_, i) => `<r${i}@x>`).join(" ")}`],
        body: "x",
      },
    ],
    ["header-nul", { headers: ["X-Nul: a\u0000b"], body: "x" }],
    [
      "from-missing",
      {
        replaceHeaders: true,
        headers: ["To: TO_ADDRESS", "Subject: no from", "Message-ID: <nofrom-MSGTAG@x>"],
        body: "x",
      },
    ],
    [
      "from-empty",
      {
        replaceHeaders: true,
        headers: ["From: ", "To: TO_ADDRESS", "Message-ID: <fromempty-MSGTAG@x>"],
        body: "x",
      },
    ],
    [
      "from-garbage",
      {
        replaceHeaders: true,
        headers: ["From: <<<@@@>>>", "To: TO_ADDRESS", "Message-ID: <fromgarbage-MSGTAG@x>"],
        body: "x",
      },
    ],
    [
      "from-group",
      {
        replaceHeaders: true,
        headers: ["From: undisclosed-recipients:;", "To: TO_ADDRESS", "Message-ID: <fromgroup-MSGTAG@x>"],
        body: "x",
      },
    ],
    [
      "from-two",
      {
        replaceHeaders: true,
        headers: [
          "From: stranger@example.org, FROM_ADDRESS",
          "To: TO_ADDRESS",
          "Message-ID: <fromtwo-MSGTAG@x>",
        ],
        body: withWorkbook(),
        contentType: 'multipart/mixed; boundary="b"',
      },
    ],
    [
      "from-nul",
      {
        replaceHeaders: true,
        headers: ["From: a\u0000b@example.org", "To: TO_ADDRESS", "Message-ID: <fromnul-MSGTAG@x>"],
        body: "x",
      },
    ],
    [
      "from-long",
      {
        replaceHeaders: true,
        headers: [
          `From: ${"x".repeat(5000)}@example.org`,
          "To: TO_ADDRESS",
          "Message-ID: <fromlong-MSGTAG@x>",
        ],
        body: "x",
      },
    ],
    [
      "from-header-injection",
      {
        replaceHeaders: true,
        headers: [
          "From: =?utf-8?Q?a=0D=0ABcc:_x@y?= <FROM_ADDRESS>",
          "To: TO_ADDRESS",
          "Message-ID: <frominject-MSGTAG@x>",
        ],
        body: "x",
      },
    ],
    [
      "message-id-missing",
      {
        replaceHeaders: true,
        headers: ["From: FROM_ADDRESS", "To: TO_ADDRESS", "Subject: no id MSGTAG"],
        body: withWorkbook(),
        contentType: 'multipart/mixed; boundary="b"',
      },
    ],
    [
      "message-id-huge",
      {
        replaceHeaders: true,
        headers: ["From: FROM_ADDRESS", "To: TO_ADDRESS", `Message-ID: <${"i".repeat(20_000)}-MSGTAG@x>`],
        body: withWorkbook(),
        contentType: 'multipart/mixed; boundary="b"',
      },
    ],
    [
      "message-id-nul",
      {
        replaceHeaders: true,
        headers: ["From: FROM_ADDRESS", "To: TO_ADDRESS", "Message-ID: <a\u0000b-MSGTAG@x>"],
        body: withWorkbook(),
        contentType: 'multipart/mixed; boundary="b"',
      },
    ],
    [
      "message-id-control",
      {
        replaceHeaders: true,
        headers: ["From: FROM_ADDRESS", "To: TO_ADDRESS", "Message-ID: <a\u0001\u001fb-MSGTAG@x>"],
        body: "x",
      },
    ],
    [
      "message-id-unicode",
      {
        replaceHeaders: true,
        headers: [
          "From: FROM_ADDRESS",
          "To: TO_ADDRESS",
          `Message-ID: <${Buffer.from("🐄", "utf8").toString("latin1")}-MSGTAG@x>`,
        ],
        body: withWorkbook(),
        contentType: 'multipart/mixed; boundary="b"',
      },
    ],
    ["subject-template-unknown", { headers: ["Subject: TEMPLATE no_such_thing"], body: "x" }],
    ["subject-template-long", { headers: [`Subject: TEMPLATE ${"a".repeat(900)}`], body: "x" }],
    [
      "subject-nul",
      { headers: ["Subject: a\u0000b"], body: withWorkbook(), contentType: 'multipart/mixed; boundary="b"' },
    ],
    ["auto-submitted", { headers: ["Auto-Submitted: auto-replied"], body: "Out of office" }],
    [
      "precedence-bulk",
      { headers: ["Precedence: bulk"], body: withWorkbook(), contentType: 'multipart/mixed; boundary="b"' },
    ],
    [
      "bounce",
      {
        contentType: 'multipart/report; report-type=delivery-status; boundary="r"',
        body: multipart("r", [
          TEXT,
          part(["Content-Type: message/delivery-status"], "Status: 5.1.1"),
          part(["Content-Type: message/rfc822"], "From: x@y\r\n\r\noriginal"),
        ]),
      },
    ],
    [
      "line-ends-lf",
      Buffer.from(
        mail("lf", { body: withWorkbook(), contentType: 'multipart/mixed; boundary="b"' })
          .toString("latin1")
          .replaceAll(CRLF, "\n"),
        "latin1",
      ),
    ],
    [
      "line-ends-cr",
      Buffer.from(
        mail("cr", { body: withWorkbook(), contentType: 'multipart/mixed; boundary="b"' })
          .toString("latin1")
          .replaceAll(CRLF, "\r"),
        "latin1",
      ),
    ],
    [
      "line-ends-mixed",
      Buffer.from(
        mail("mixed", { body: withWorkbook(), contentType: 'multipart/mixed; boundary="b"' })
          .toString("latin1")
          .replaceAll(`${CRLF}${CRLF}`, "\n\r\n"),
        "latin1",
      ),
    ],
    ["body-nul-bytes", { contentType: "text/plain", body: Buffer.alloc(4096) }],
    ["body-long-line", { contentType: "text/plain", body: "x".repeat(100_000) }],
    [
      "multipart-unclosed",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: multipart("b", [TEXT, attachment("data.xlsx", valid)], false),
      },
    ],
    [
      "multipart-unclosed-mid-attachment",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: multipart("b", [TEXT, attachment("data.xlsx", valid)], false).slice(0, 3000),
      },
    ],
    ["multipart-no-boundary-parameter", { contentType: "multipart/mixed", body: withWorkbook() }],
    [
      "multipart-boundary-never-used",
      { contentType: 'multipart/mixed; boundary="never"', body: withWorkbook() },
    ],
    ["multipart-empty-boundary", { contentType: 'multipart/mixed; boundary=""', body: withWorkbook() }],
    [
      "multipart-boundary-long",
      {
        contentType: `multipart/mixed; boundary="${"b".repeat(5000)}"`,
        body: multipart("b".repeat(5000), [TEXT, attachment("data.xlsx", valid)]),
      },
    ],
    ["multipart-no-parts", { contentType: 'multipart/mixed; boundary="b"', body: "--b--\r\n" }],
    [
      "multipart-preamble-only",
      { contentType: 'multipart/mixed; boundary="b"', body: "This is a preamble and nothing else." },
    ],
    [
      "multipart-10000-parts",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: multipart(
          "b",
          Array.from({ length: 10_000 }, (_, i) => part([], String(i))),
        ),
      },
    ],
    [
      "multipart-2000-attachments",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: multipart(
          "b",
          Array.from({ length: 2_000 }, (_, i) =>
            part([`Content-Disposition: attachment; filename=${i}.xlsx`], "UEsDBA=="),
          ),
        ),
      },
    ],
    [
      "multipart-nested-100",
      { contentType: 'multipart/mixed; boundary="d100"', body: multipart("d100", [nestMultipart(99)]) },
    ],
    [
      "multipart-alternative-only",
      {
        contentType: 'multipart/alternative; boundary="a"',
        body: multipart("a", [TEXT, part(["Content-Type: text/html"], "<p>hi</p>")]),
      },
    ],
    [
      "multipart-signed",
      {
        contentType: 'multipart/signed; protocol="application/pkcs7-signature"; boundary="s"',
        body: multipart("s", [
          part(['Content-Type: multipart/mixed; boundary="b"'], withWorkbook()),
          attachment("smime.p7s", Buffer.from("not a signature"), "application/pkcs7-signature"),
        ]),
      },
    ],
    [
      "multipart-encrypted",
      {
        contentType: 'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"',
        headers: ["Content-Transfer-Encoding: base64"],
        body: base64Lines(Buffer.from("opaque")),
      },
    ],
    [
      "rfc822-nested-3",
      {
        contentType: 'multipart/mixed; boundary="o"',
        body: multipart("o", [TEXT, part(["Content-Type: message/rfc822"], nestRfc822(2))]),
      },
    ],
    [
      "rfc822-nested-6",
      {
        contentType: 'multipart/mixed; boundary="o"',
        body: multipart("o", [TEXT, part(["Content-Type: message/rfc822"], nestRfc822(5))]),
      },
    ],
    [
      "rfc822-nested-30",
      {
        contentType: 'multipart/mixed; boundary="o"',
        body: multipart("o", [TEXT, part(["Content-Type: message/rfc822"], nestRfc822(29))]),
      },
    ],
    [
      "rfc822-empty",
      {
        contentType: 'multipart/mixed; boundary="o"',
        body: multipart("o", [TEXT, part(["Content-Type: message/rfc822"], "")]),
      },
    ],
    [
      "rfc822-garbage",
      {
        contentType: 'multipart/mixed; boundary="o"',
        body: multipart("o", [TEXT, part(["Content-Type: message/rfc822"], "\u0000\u0001\u0002 not a mail")]),
      },
    ],
    [
      "rfc822-headers-only",
      {
        contentType: 'multipart/mixed; boundary="o"',
        body: multipart("o", [TEXT, part(["Content-Type: message/rfc822"], "From: x@example.org")]),
      },
    ],
    [
      "rfc822-base64",
      {
        contentType: 'multipart/mixed; boundary="o"',
        body: multipart("o", [
          TEXT,
          part(
            ["Content-Type: message/rfc822", "Content-Transfer-Encoding: base64"],
            base64Lines(Buffer.from(nestRfc822(0))),
          ),
        ]),
      },
    ],
    [
      "rfc822-unclosed-inner",
      {
        contentType: 'multipart/mixed; boundary="o"',
        body: multipart("o", [
          TEXT,
          part(
            ["Content-Type: message/rfc822"],
            `From: x@y${CRLF}Content-Type: multipart/mixed; boundary="i"${CRLF}${CRLF}${multipart("i", [attachment("inner.xlsx", valid)], false)}`,
          ),
        ]),
      },
    ],
    [
      "rfc822-as-attachment-named-xlsx",
      {
        contentType: 'multipart/mixed; boundary="o"',
        body: multipart("o", [
          TEXT,
          part(
            ["Content-Type: message/rfc822", 'Content-Disposition: attachment; filename="mail.xlsx"'],
            nestRfc822(0),
          ),
        ]),
      },
    ],
    [
      "tnef-winmail",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: multipart("b", [
          TEXT,
          attachment(
            "winmail.dat",
            Buffer.concat([Buffer.from([0x78, 0x9f, 0x3e, 0x22]), Buffer.alloc(512, 1)]),
            "application/ms-tnef",
          ),
        ]),
      },
    ],
    [
      "tnef-named-xlsx",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: multipart("b", [
          TEXT,
          attachment(
            "data.xlsx",
            Buffer.concat([Buffer.from([0x78, 0x9f, 0x3e, 0x22]), Buffer.alloc(512, 1)]),
            "application/vnd.ms-tnef",
          ),
        ]),
      },
    ],
    ["attachment-valid", { contentType: 'multipart/mixed; boundary="b"', body: withWorkbook() }],
    [
      "attachment-valid-twice",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: multipart("b", [TEXT, attachment("a.xlsx", valid), attachment("b.xlsx", valid)]),
      },
    ],
    [
      "attachment-bomb",
      { contentType: 'multipart/mixed; boundary="b"', body: withWorkbook("bomb.xlsx", bomb) },
    ],
    [
      "attachment-xlsm",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: withWorkbook("macro.xlsm", xlsm, "application/vnd.ms-excel.sheet.macroEnabled.12"),
      },
    ],
    [
      "attachment-encrypted",
      { contentType: 'multipart/mixed; boundary="b"', body: withWorkbook("secret.xlsx", encrypted) },
    ],
    [
      "attachment-xls",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: withWorkbook("old.xls", legacy, "application/vnd.ms-excel"),
      },
    ],
    [
      "attachment-truncated",
      { contentType: 'multipart/mixed; boundary="b"', body: withWorkbook("cut.xlsx", truncated) },
    ],
    [
      "attachment-empty",
      { contentType: 'multipart/mixed; boundary="b"', body: withWorkbook("empty.xlsx", Buffer.alloc(0)) },
    ],
    [
      "attachment-text-named-xlsx",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: withWorkbook("notes.xlsx", Buffer.from("just text")),
      },
    ],
    [
      "attachment-base64-garbage",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: multipart("b", [
          TEXT,
          part(
            ['Content-Type: application/octet-stream; name="x.xlsx"', "Content-Transfer-Encoding: base64"],
            "!!!! %%%% not base64 ####",
          ),
        ]),
      },
    ],
    [
      "attachment-base64-truncated",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: multipart("b", [
          TEXT,
          part(
            ['Content-Type: application/octet-stream; name="x.xlsx"', "Content-Transfer-Encoding: base64"],
            base64Lines(valid).slice(0, 1001),
          ),
        ]),
      },
    ],
    [
      "attachment-quoted-printable-broken",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: multipart("b", [
          TEXT,
          part(
            [
              'Content-Type: application/octet-stream; name="x.xlsx"',
              "Content-Transfer-Encoding: quoted-printable",
            ],
            "PK=03=04=ZZ=\r\n=",
          ),
        ]),
      },
    ],
    [
      "attachment-unknown-encoding",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: multipart("b", [
          TEXT,
          part(
            ['Content-Type: application/octet-stream; name="x.xlsx"', "Content-Transfer-Encoding: x-klingon"],
            base64Lines(valid),
          ),
        ]),
      },
    ],
    [
      "attachment-binary-encoding",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: Buffer.concat([
          Buffer.from(
            `--b${CRLF}Content-Type: application/octet-stream; name="raw.xlsx"${CRLF}Content-Transfer-Encoding: binary${CRLF}${CRLF}`,
          ),
          valid,
          Buffer.from(`${CRLF}--b--${CRLF}`),
        ]),
      },
    ],
    [
      "attachment-uuencode",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: multipart("b", [
          TEXT,
          part(
            [
              'Content-Type: application/octet-stream; name="x.xlsx"',
              "Content-Transfer-Encoding: x-uuencode",
            ],
            "begin 644 x.xlsx\r\n#4$L#!```\r\n`\r\nend",
          ),
        ]),
      },
    ],
    [
      "attachment-name-traversal",
      { contentType: 'multipart/mixed; boundary="b"', body: withWorkbook("../../../etc/passwd.xlsx") },
    ],
    [
      "attachment-name-long",
      { contentType: 'multipart/mixed; boundary="b"', body: withWorkbook(`${"n".repeat(3000)}.xlsx`) },
    ],
    [
      "attachment-name-nul",
      { contentType: 'multipart/mixed; boundary="b"', body: withWorkbook("a\u0000b.xlsx") },
    ],
    [
      "attachment-name-control",
      { contentType: 'multipart/mixed; boundary="b"', body: withWorkbook("a\u0007\u001b[31mb.xlsx") },
    ],
    [
      "attachment-name-rfc2231-broken",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: multipart("b", [
          TEXT,
          part(
            [
              "Content-Type: application/octet-stream",
              "Content-Disposition: attachment; filename*0*=utf-8''%E0%A4; filename*2=\"x.xlsx\"",
              "Content-Transfer-Encoding: base64",
            ],
            base64Lines(valid),
          ),
        ]),
      },
    ],
    [
      "attachment-name-encoded-word-broken",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: multipart("b", [
          TEXT,
          part(
            [
              'Content-Type: application/octet-stream; name="=?utf-8?B?%%%?="',
              "Content-Transfer-Encoding: base64",
            ],
            base64Lines(valid),
          ),
        ]),
      },
    ],
    [
      "attachment-no-name-octet-stream",
      {
        contentType: 'multipart/mixed; boundary="b"',
        body: multipart("b", [
          TEXT,
          part(
            ["Content-Type: application/octet-stream", "Content-Transfer-Encoding: base64"],
            base64Lines(valid),
          ),
        ]),
      },
    ],
    [
      "attachment-inline-related",
      {
        contentType: 'multipart/related; boundary="b"',
        body: multipart("b", [
          part(["Content-Type: text/html"], '<img src="cid:x">'),
          part(
            [
              'Content-Type: application/octet-stream; name="x.xlsx"',
              "Content-ID: <x>",
              "Content-Disposition: inline",
              "Content-Transfer-Encoding: base64",
            ],
            base64Lines(valid),
          ),
        ]),
      },
    ],
    ["content-type-garbage", { contentType: ";;;===;;;", body: "x" }],
    [
      "content-type-duplicate",
      {
        headers: ["Content-Type: text/plain", 'Content-Type: multipart/mixed; boundary="b"'],
        body: withWorkbook(),
      },
    ],
    ["content-type-unknown-charset", { contentType: "text/plain; charset=x-klingon", body: "Qapla'" }],
    ["content-type-utf7", { contentType: "text/plain; charset=utf-7", body: "+AGEAYgBj-" }],
    [
      "calendar-invite",
      { contentType: "text/calendar; method=REQUEST", body: "BEGIN:VCALENDAR\r\nEND:VCALENDAR" },
    ],
    [
      "spam-verdict-header",
      {
        headers: ["X-SES-Spam-Verdict: FAIL", "X-SES-Virus-Verdict: FAIL"],
        body: withWorkbook(),
        contentType: 'multipart/mixed; boundary="b"',
      },
    ],
    [
      "authentication-results-fail",
      {
        headers: ["Authentication-Results: mx.example; spf=fail; dkim=fail; dmarc=fail"],
        body: withWorkbook(),
        contentType: 'multipart/mixed; boundary="b"',
      },
    ],
    [
      "to-someone-else",
      {
        replaceHeaders: true,
        headers: ["From: FROM_ADDRESS", "To: somebody@elsewhere.example", "Message-ID: <else-MSGTAG@x>"],
        body: "x",
      },
    ],
  ];
  return cases.map(([name, value]) => ({
    name: `${name}.eml`,
    content: Buffer.isBuffer(value) ? value : mail(name, value),
  }));
}
