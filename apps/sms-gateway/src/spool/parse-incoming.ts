// Reads an SMSTools3 incoming message file: header lines (`Name: value`), a blank line,
// then the body in the alphabet the `Alphabet:` header names. The file format is smsd's
// own (see its fileformat.html); no library reads it, and it is a few lines of rules.

export type Alphabet = "iso" | "utf8" | "ucs2" | "binary";

export interface IncomingSms {
  kind: "message";
  /** The sender as smsd wrote it (digits, or a name for alphanumeric senders). */
  from: string;
  text: string;
  alphabet: Alphabet;
  /** When smsd received it; undefined when the header is missing or unreadable. */
  receivedAt: Date | undefined;
  /** The user data header as hex bytes (`05 00 03 5F 02 01`), when the message has one. */
  udh: Uint8Array | undefined;
  /** The modem that received it (`Subject:`, or `Modem:`). */
  modem: string | undefined;
  /** Headers this parser does not know; smsd ignores such lines too. */
  unknownHeaders: string[];
}

export interface IncomingStatusReport {
  kind: "status-report";
  from: string;
  messageId: string | undefined;
  status: string | undefined;
}

export type ParsedIncoming = IncomingSms | IncomingStatusReport;

export type ParseOutcome = { ok: true; value: ParsedIncoming } | { ok: false; reason: string };

/** Headers smsd writes into incoming, sent and failed files. */
const KNOWN_HEADERS = new Set([
  "From",
  "From_SMSC",
  "From_TOA",
  "Sent",
  "Received",
  "Subject",
  "Modem",
  "IMSI",
  "IMEI",
  "Report",
  "Alphabet",
  "UDH",
  "UDH-DATA",
  "UDH-Type",
  "Length",
  "Flash",
  "Replace",
  "Class",
  "Warning",
  "Error",
  "Call_type",
  "Message_id",
  "To",
  "To_TOA",
  "Fail_reason",
  "Failed",
  "Sending_time",
  "Retries",
  "NOTICE",
]);

const HEADER_LINE = /^([A-Za-z][A-Za-z0-9_-]*):[ \t]*(.*)$/;
const STATUS_REPORT_MARK = "SMS STATUS REPORT";

interface SmsFileSections {
  headers: Map<string, string>;
  headerOrder: string[];
  body: Buffer;
}

/** Splits a spool file into headers and the raw body; the body stays bytes (UCS2 is binary). */
function splitSmsFile(content: Buffer): { ok: true; value: SmsFileSections } | { ok: false; reason: string } {
  if (content.length === 0) return { ok: false, reason: "empty file" };
  let end = content.indexOf("\n\n");
  let separator = 2;
  const crlf = content.indexOf("\r\n\r\n");
  if (crlf >= 0 && (end < 0 || crlf < end)) {
    end = crlf;
    separator = 4;
  }
  if (end < 0) {
    return { ok: false, reason: "truncated: no blank line between the headers and the text" };
  }
  const headers = new Map<string, string>();
  const headerOrder: string[] = [];
  const lines = content.subarray(0, end).toString("latin1").split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const match = HEADER_LINE.exec(line);
    if (!match)
      return {
        ok: false,
        reason: `malformed header line ${index + 1}: ${JSON.stringify(line.slice(0, 60))}`,
      };
    const name = match[1]!;
    // A repeated header keeps its first value, as smsd reads them.
    if (!headers.has(name)) {
      headers.set(name, match[2]!.trim());
      headerOrder.push(name);
    }
  }
  return { ok: true, value: { headers, headerOrder, body: content.subarray(end + separator) } };
}

function alphabetOf(header: string | undefined): Alphabet | undefined {
  // smsd itself looks at the first three letters only (ISO-8859-15, UCS-2 … all work).
  const key = (header ?? "ISO").slice(0, 3).toUpperCase();
  switch (key) {
    case "ISO":
    case "GSM":
    case "LAT":
    case "ANS":
      return "iso";
    case "UTF":
      return "utf8";
    case "UCS":
    case "CHI":
    case "UNI":
      return "ucs2";
    case "BIN":
      return "binary";
    default:
      return undefined;
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const latin9 = new TextDecoder("iso-8859-15");
const utf16be = new TextDecoder("utf-16be", { fatal: true });

function decodeIso(body: Buffer): string {
  // With `incoming_utf8 = yes` smsd stores GSM/ISO text as UTF-8 but keeps the ISO label,
  // so a body that is valid UTF-8 is read as UTF-8; Latin-9 text almost never is.
  try {
    return strictUtf8.decode(body);
  } catch {
    return latin9.decode(body);
  }
}

function decodeBody(
  alphabet: Alphabet,
  body: Buffer,
): { ok: true; text: string } | { ok: false; reason: string } {
  switch (alphabet) {
    case "iso":
      return { ok: true, text: decodeIso(body) };
    case "utf8":
      try {
        return { ok: true, text: strictUtf8.decode(body) };
      } catch {
        return { ok: false, reason: "Alphabet: UTF-8 but the text is not valid UTF-8" };
      }
    case "ucs2":
      if (body.length % 2 !== 0)
        return { ok: false, reason: "truncated: UCS2 text has an odd number of bytes" };
      try {
        return { ok: true, text: utf16be.decode(body) };
      } catch {
        return { ok: false, reason: "UCS2 text is not valid UTF-16" };
      }
    case "binary":
      return { ok: false, reason: "binary message: not a text command" };
  }
}

/** Parses smsd's `yy-mm-dd hh:mm:ss` (local time of the smsd host). */
export function parseSmsdTimestamp(value: string | undefined): Date | undefined {
  const match = /^(\d{2}|\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value ?? "");
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const date = new Date(year! < 100 ? 2000 + year! : year!, month! - 1, day!, hour!, minute!, second!);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function parseHex(value: string): Uint8Array | undefined {
  const digits = value.replace(/\s+/g, "");
  if (digits.length === 0 || digits.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(digits)) return undefined;
  return Uint8Array.from(Buffer.from(digits, "hex"));
}

function parseStatusReport(from: string, text: string): IncomingStatusReport {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = HEADER_LINE.exec(line);
    if (match) fields.set(match[1]!, match[2]!.trim());
  }
  return { kind: "status-report", from, messageId: fields.get("Message_id"), status: fields.get("Status") };
}

/** Parses an incoming file; a file that cannot be read as a message says why. */
export function parseIncoming(content: Buffer): ParseOutcome {
  const sections = splitSmsFile(content);
  if (!sections.ok) return sections;
  const { headers, headerOrder, body } = sections.value;

  const error = headers.get("Error");
  if (error) return { ok: false, reason: `smsd could not decode the message: ${error}` };
  const from = headers.get("From");
  if (!from) return { ok: false, reason: "no From: header" };
  // smsd writes digits or an operator's name; a control character (NUL above all, which
  // PostgreSQL text refuses) means the file is damaged, and retrying it would never help.
  if (/\p{Cc}/u.test(from))
    return { ok: false, reason: `From: ${JSON.stringify(from)} holds control characters` };

  const alphabet = alphabetOf(headers.get("Alphabet"));
  if (!alphabet) return { ok: false, reason: `unknown alphabet ${JSON.stringify(headers.get("Alphabet"))}` };
  const decoded = decodeBody(alphabet, body);
  if (!decoded.ok) return decoded;
  const text = decoded.text;

  if (text.startsWith(STATUS_REPORT_MARK)) return { ok: true, value: parseStatusReport(from, text) };

  const lengthHeader = headers.get("Length");
  if (lengthHeader !== undefined) {
    const expected = Number.parseInt(lengthHeader, 10);
    // smsd counts UCS2 code units for Unicode text and characters otherwise.
    const actual = alphabet === "ucs2" ? body.length / 2 : [...text].length;
    if (Number.isFinite(expected) && actual < expected) {
      return { ok: false, reason: `truncated: Length: ${expected} but the text has ${actual}` };
    }
  }

  let udh: Uint8Array | undefined;
  const udhData = headers.get("UDH-DATA");
  if (udhData) {
    udh = parseHex(udhData);
    if (!udh) return { ok: false, reason: `UDH-DATA is not hex: ${JSON.stringify(udhData.slice(0, 60))}` };
  }

  return {
    ok: true,
    value: {
      kind: "message",
      from,
      text,
      alphabet,
      receivedAt: parseSmsdTimestamp(headers.get("Received")),
      udh,
      modem: headers.get("Subject") ?? headers.get("Modem"),
      unknownHeaders: headerOrder.filter((name) => !KNOWN_HEADERS.has(name)),
    },
  };
}
