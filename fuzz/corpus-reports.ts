// The reportrequest bad-input corpus: bodies an operator, a script or a damaged producer
// might put on the queue. Most fail the contract (dead-lettered at once with the reason);
// the rest pass it and must be refused by the handler, never thrown on for ever.
import type { CorpusFile } from "./corpus-sms.js";

const BASE = {
  type: "reportrequest",
  version: 1,
  id: "operator:district-case-summary:2026-11:7206",
  environment: "live",
  report: "district-case-summary",
  parameters: { scope: "7206", period: "2026-11" },
  recipients: ["you@example.org"],
};

type Body = Record<string, unknown>;

function withField(field: string, value: unknown): Body {
  return { ...BASE, [field]: value };
}

function withParameters(parameters: Record<string, unknown>): Body {
  return { ...BASE, parameters };
}

function without(field: string): Body {
  const copy: Body = { ...BASE };
  delete copy[field];
  return copy;
}

const NUL = String.fromCharCode(0);

/** Bodies that are not the contract's shape at all. */
const RAW: [string, string][] = [
  ["empty", ""],
  ["whitespace", "   \n"],
  ["not-json", "reportrequest please"],
  ["truncated-json", JSON.stringify(BASE).slice(0, 60)],
  ["json-null", "null"],
  ["json-number", "42"],
  ["json-string", '"reportrequest"'],
  ["json-array", "[]"],
  ["json-array-of-request", `[${JSON.stringify(BASE)}]`],
  ["json-true", "true"],
  ["json-trailing-garbage", `${JSON.stringify(BASE)}}}`],
  ["json-bom", `\ufeff${JSON.stringify(BASE)}`],
  ["json-single-quotes", JSON.stringify(BASE).replaceAll('"', "'")],
  ["json-comments", `// a request\n${JSON.stringify(BASE)}`],
  ["json-deep-nesting", `${"[".repeat(5000)}${"]".repeat(5000)}`],
  ["json-nested-parameters", JSON.stringify(withParameters({ scope: { deep: { deeper: [1, 2, 3] } } }))],
  ["json-duplicate-keys", JSON.stringify(BASE).replace('"report":', '"report":"silent-reporters","report":')],
  ["json-huge-number", JSON.stringify(BASE).replace('"version":1', '"version":1e999')],
  ["json-proto", JSON.stringify(BASE).replace("{", '{"__proto__":{"polluted":true},')],
];

/** Bodies that are JSON objects with one thing wrong. */
const BODIES: [string, Body][] = [
  ["empty-object", {}],
  ["no-type", without("type")],
  ["no-version", without("version")],
  ["no-id", without("id")],
  ["no-environment", without("environment")],
  ["no-report", without("report")],
  ["type-emailinput", withField("type", "emailinput")],
  ["type-number", withField("type", 1)],
  ["version-2", withField("version", 2)],
  ["version-string", withField("version", "1")],
  ["version-zero", withField("version", 0)],
  ["id-empty", withField("id", "")],
  ["id-long", withField("id", "x".repeat(600))],
  ["id-number", withField("id", 7)],
  ["id-nul", withField("id", `operator:${NUL}:x`)],
  ["environment-staging", withField("environment", "staging")],
  ["environment-upper", withField("environment", "LIVE")],
  ["environment-training-no-database", withField("environment", "training")],
  ["report-unknown", withField("report", "everything")],
  ["report-empty", withField("report", "")],
  ["report-upper", withField("report", "DISTRICT-CASE-SUMMARY")],
  ["report-sql", withField("report", "x'; DROP TABLE report_runs; --")],
  ["period-reversed", withField("period", { from: "2026-11-30", to: "2026-11-01" })],
  ["period-not-dates", withField("period", { from: "last month", to: "today" })],
  ["period-string", withField("period", "2026-11")],
  ["period-feb-30", withField("period", { from: "2026-02-30", to: "2026-03-01" })],
  ["parameters-array", withField("parameters", ["7206"])],
  ["parameters-null", withField("parameters", null)],
  ["parameters-string", withField("parameters", "scope=7206")],
  ["parameters-value-null", withParameters({ scope: null, period: "2026-11" })],
  ["parameters-value-object", withParameters({ scope: "7206", period: { y: 2026 } })],
  ["recipients-not-addresses", withField("recipients", ["not an address"])],
  ["recipients-string", withField("recipients", "you@example.org")],
  [
    "recipients-51",
    withField(
      "recipients",
      Array.from({ length: 51 }, (_, i) => `r${i}@example.org`),
    ),
  ],
  ["recipients-header-injection", withField("recipients", ["you@example.org\r\nBcc: all@example.org"])],
  ["in-reply-to-long", withField("inReplyTo", "<".padEnd(1000, "x"))],
  ["in-reply-to-number", withField("inReplyTo", 5)],
  // From here the contract is met: the handler must refuse each with a reason.
  ["scope-missing", withParameters({ period: "2026-11" })],
  ["scope-number", withParameters({ scope: 7206, period: "2026-11" })],
  ["scope-unknown", withParameters({ scope: "9999", period: "2026-11" })],
  ["scope-empty", withParameters({ scope: "", period: "2026-11" })],
  ["scope-nul", withParameters({ scope: `72${NUL}06`, period: "2026-11" })],
  ["scope-long", withParameters({ scope: "7".repeat(5000), period: "2026-11" })],
  ["scope-sql", withParameters({ scope: "7206' OR '1'='1", period: "2026-11" })],
  ["scope-emoji", withParameters({ scope: "🐄", period: "2026-11" })],
  ["period-missing", withParameters({ scope: "7206" })],
  ["period-month-13", withParameters({ scope: "7206", period: "2026-13" })],
  ["period-month-00", withParameters({ scope: "7206", period: "2026-00" })],
  ["period-day-invalid", withParameters({ scope: "7206", period: "2026-02-30" })],
  ["period-week-99", withParameters({ scope: "7206", period: "2026-W99" })],
  ["period-words", withParameters({ scope: "7206", period: "November" })],
  ["period-number", withParameters({ scope: "7206", period: 202611 })],
  ["period-nul", withParameters({ scope: "7206", period: `2026-11${NUL}` })],
  ["run-missing", withParameters({ run: 987654321 })],
  ["run-negative", withParameters({ run: -1 })],
  ["run-fraction", withParameters({ run: 1.5 })],
  ["run-huge", withParameters({ run: 1e300 })],
  ["run-string", withParameters({ run: "12", scope: "7206", period: "2026-11" })],
  ["deferrals-negative", withParameters({ run: 987654321, deferrals: -1e308 })],
  ["lab-no-submission", { ...withField("report", "lab-client-report"), parameters: {} }],
  [
    "lab-submission-missing",
    { ...withField("report", "lab-client-report"), parameters: { submissionId: 99999999 } },
  ],
  [
    "lab-submission-text",
    { ...withField("report", "lab-client-report"), parameters: { submissionId: "abc" } },
  ],
  [
    "lab-submission-fraction",
    { ...withField("report", "lab-client-report"), parameters: { submissionId: 2.5 } },
  ],
  [
    "lab-submission-huge",
    { ...withField("report", "lab-client-report"), parameters: { submissionId: 1e30 } },
  ],
  [
    "lab-submission-negative",
    { ...withField("report", "lab-client-report"), parameters: { submissionId: -7 } },
  ],
  [
    "lab-submission-bool",
    { ...withField("report", "lab-client-report"), parameters: { submissionId: true } },
  ],
  [
    "lab-upload-nul",
    { ...withField("report", "lab-client-report"), parameters: { submissionId: 1, uploadId: NUL } },
  ],
  [
    "in-reply-to-nul",
    { ...withField("inReplyTo", `<a${NUL}b@x>`), parameters: { scope: "9999", period: "2026-11" } },
  ],
];

export function reportCorpus(): CorpusFile[] {
  return [
    ...RAW.map(([name, body]) => ({ name: `${name}.json`, content: Buffer.from(body, "utf8") })),
    ...BODIES.map(([name, body]) => ({
      name: `${name}.json`,
      content: Buffer.from(JSON.stringify(body), "utf8"),
    })),
  ];
}
