// Concatenated SMS that smsd did not join: the user data header names a reference, the
// number of parts and this part's number. Parts wait in a folder under the spool (a rename
// keeps them durable without a transaction) until all arrived or a bounded wait passed.
// Each part's message, parsed on arrival, is remembered until its group is handed over, so
// the files are read again only after a restart.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, utimes } from "node:fs/promises";
import { basename, join } from "node:path";
import { ignoreMissing } from "./spool/files.js";
import { type IncomingSms, parseIncoming } from "./spool/parse-incoming.js";

export interface Concatenation {
  reference: number;
  total: number;
  part: number;
}

/**
 * Reads the concatenation element of a user data header (3GPP TS 23.040 9.2.3.24):
 * IEI 00 with an 8-bit reference, IEI 08 with a 16-bit one. Other elements are skipped.
 */
export function readConcatenation(udh: Uint8Array): Concatenation | undefined {
  const headerLength = udh[0];
  if (headerLength === undefined) return undefined;
  const end = Math.min(udh.length, headerLength + 1);
  let offset = 1;
  while (offset + 1 < end) {
    const iei = udh[offset]!;
    const length = udh[offset + 1]!;
    const data = udh.subarray(offset + 2, offset + 2 + length);
    if (data.length < length) return undefined;
    if (iei === 0x00 && length === 3) {
      return checked({ reference: data[0]!, total: data[1]!, part: data[2]! });
    }
    if (iei === 0x08 && length === 4) {
      return checked({ reference: (data[0]! << 8) | data[1]!, total: data[2]!, part: data[3]! });
    }
    offset += 2 + length;
  }
  return undefined;
}

function checked(value: Concatenation): Concatenation | undefined {
  // A part outside 1..total is invalid by the standard; such a header is ignored.
  if (value.total < 1 || value.part < 1 || value.part > value.total) return undefined;
  return value;
}

export interface StoredPart {
  part: number;
  path: string;
  /** The identity of the spool file the part came from. */
  fileId: string;
  /** When the part was put in the store (file mtime, set on arrival). */
  storedAt: Date;
}

export interface PartGroup {
  key: string;
  total: number;
  parts: StoredPart[];
}

const PART_FILE = /^(\d{3})\.([0-9a-f]{16})\.(.+)$/;

/** The durable waiting room of message parts: `<spool>/parts/<sender>_<reference>_<total>/`. */
export class PartStore {
  /** Group key → part file → its message as parsed on arrival. */
  private readonly arrived = new Map<string, Map<string, IncomingSms>>();

  constructor(private readonly dir: string) {}

  static groupKey(sender: string, concatenation: Concatenation): string {
    const safeSender = sender.replace(/[^0-9A-Za-z+]/g, "_");
    return `${safeSender}_${concatenation.reference}_${concatenation.total}`;
  }

  /** Moves a spool file into its group (atomic rename); returns the group key. */
  async add(
    path: string,
    sender: string,
    concatenation: Concatenation,
    fileHash: string,
    now: Date,
    message: IncomingSms,
  ): Promise<string> {
    const key = PartStore.groupKey(sender, concatenation);
    const groupDir = join(this.dir, key);
    await mkdir(groupDir, { recursive: true });
    const target = join(
      groupDir,
      `${String(concatenation.part).padStart(3, "0")}.${fileHash}.${basename(path)}`,
    );
    await rename(path, target);
    // The wait counts from arrival in the store, not from when smsd wrote the file: a
    // backlog of old files must not expire before its sibling parts are read.
    await utimes(target, now, now);
    const group = this.arrived.get(key) ?? new Map<string, IncomingSms>();
    group.set(target, message);
    this.arrived.set(key, group);
    return key;
  }

  async groupKeys(): Promise<string[]> {
    const entries = await readdir(this.dir, { withFileTypes: true }).catch(ignoreMissing([]));
    const keys = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    // A group removed behind the store's back must not keep its messages in memory.
    const present = new Set(keys);
    for (const key of this.arrived.keys()) if (!present.has(key)) this.arrived.delete(key);
    return keys;
  }

  /** The parts of a group, one per part number (a repeated part keeps its first copy). */
  async read(key: string): Promise<PartGroup | undefined> {
    const total = Number.parseInt(key.slice(key.lastIndexOf("_") + 1), 10);
    const groupDir = join(this.dir, key);
    const names = await readdir(groupDir).catch(ignoreMissing(undefined));
    if (!names || !Number.isFinite(total)) return undefined;
    const byPart = new Map<number, StoredPart>();
    for (const name of names.sort()) {
      const match = PART_FILE.exec(name);
      if (!match) continue;
      const part = Number.parseInt(match[1]!, 10);
      if (byPart.has(part)) continue;
      const path = join(groupDir, name);
      const info = await stat(path).catch(ignoreMissing(undefined));
      if (!info) continue;
      byPart.set(part, { part, path, fileId: `${match[3]}:${match[2]}`, storedAt: info.mtime });
    }
    return { key, total, parts: [...byPart.values()].sort((a, b) => a.part - b.part) };
  }

  /**
   * A part's message: as parsed on arrival, or read from its file when the part came in
   * before a restart. Undefined when the file no longer reads as a message.
   */
  async message(key: string, part: StoredPart): Promise<IncomingSms | undefined> {
    const known = this.arrived.get(key)?.get(part.path);
    if (known) return known;
    const content = await readFile(part.path).catch(ignoreMissing(undefined));
    if (!content) return undefined;
    const parsed = parseIncoming(content);
    return parsed.ok && parsed.value.kind === "message" ? parsed.value : undefined;
  }

  async remove(key: string): Promise<void> {
    await rm(join(this.dir, key), { recursive: true, force: true });
    this.arrived.delete(key);
  }
}

export function isComplete(group: PartGroup): boolean {
  return group.parts.length >= group.total;
}

/** The oldest arrival in the group; the bounded wait counts from it. */
export function firstArrival(group: PartGroup): Date | undefined {
  let first: Date | undefined;
  for (const part of group.parts) if (!first || part.storedAt < first) first = part.storedAt;
  return first;
}

/** Marks where a part is missing in a message handed over incomplete. */
export const MISSING_PART_MARK = "…";

/** Joins the texts in part order; missing parts become a visible mark. */
export function joinParts(total: number, texts: ReadonlyMap<number, string>): string {
  const pieces: string[] = [];
  for (let part = 1; part <= total; part += 1) {
    const text = texts.get(part);
    if (text !== undefined) pieces.push(text);
    else if (pieces.at(-1) !== MISSING_PART_MARK) pieces.push(MISSING_PART_MARK);
  }
  return pieces.join("");
}

/** The external id of a joined message: the group plus the identities of its part files. */
export function groupExternalId(group: PartGroup): string {
  const hash = createHash("sha256");
  for (const part of group.parts) hash.update(`${part.part}=${part.fileId}\n`);
  const suffix = isComplete(group) ? "" : ":partial";
  return `sms-parts:${group.key}:${hash.digest("hex").slice(0, 24)}${suffix}`;
}
