import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  firstArrival,
  groupExternalId,
  isComplete,
  joinParts,
  MISSING_PART_MARK,
  PartStore,
  readConcatenation,
} from "./concatenation.js";
import { type IncomingSms, parseIncoming } from "./spool/parse-incoming.js";

describe("readConcatenation", () => {
  it("reads IEI 00 (8-bit reference) and IEI 08 (16-bit reference)", () => {
    expect(readConcatenation(Uint8Array.from([5, 0, 3, 0xa7, 3, 2]))).toEqual({
      reference: 0xa7,
      total: 3,
      part: 2,
    });
    expect(readConcatenation(Uint8Array.from([6, 8, 4, 0x12, 0x34, 2, 1]))).toEqual({
      reference: 0x1234,
      total: 2,
      part: 1,
    });
  });

  it("skips other elements and ignores headers without concatenation or with impossible parts", () => {
    // A port-addressing element (IEI 05) before the concatenation element.
    expect(readConcatenation(Uint8Array.from([11, 5, 4, 0x0b, 0x84, 0x23, 0xf0, 0, 3, 9, 2, 2]))).toEqual({
      reference: 9,
      total: 2,
      part: 2,
    });
    expect(readConcatenation(Uint8Array.from([6, 5, 4, 0x0b, 0x84, 0x23, 0xf0]))).toBeUndefined();
    expect(readConcatenation(Uint8Array.from([5, 0, 3, 1, 2, 3]))).toBeUndefined();
    expect(readConcatenation(Uint8Array.from([5, 0, 3, 1]))).toBeUndefined();
  });
});

describe("joinParts", () => {
  it("joins in part order and marks each gap once", () => {
    expect(
      joinParts(
        3,
        new Map([
          [3, "c"],
          [1, "a"],
          [2, "b"],
        ]),
      ),
    ).toBe("abc");
    expect(
      joinParts(
        4,
        new Map([
          [1, "a"],
          [4, "d"],
        ]),
      ),
    ).toBe(`a${MISSING_PART_MARK}d`);
  });
});

describe("PartStore", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "sms-parts-"));
    await mkdir(join(root, "incoming"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function incomingCopy(fixture: string, name: string) {
    const path = join(root, "incoming", name);
    await copyFile(new URL(`./spool/fixtures/${fixture}`, import.meta.url), path);
    return path;
  }

  async function fixtureMessage(fixture: string): Promise<IncomingSms> {
    const parsed = parseIncoming(await readFile(new URL(`./spool/fixtures/${fixture}`, import.meta.url)));
    if (!parsed.ok || parsed.value.kind !== "message") throw new Error(`fixture ${fixture} is no message`);
    return parsed.value;
  }

  it("moves parts out of incoming into their group and knows when the group is complete", async () => {
    const store = new PartStore(join(root, "parts"));
    const concatenation = { reference: 0xa7, total: 3, part: 3 };
    const at = new Date("2026-03-14T02:00:00Z");
    const key = await store.add(
      await incomingCopy("part3of3.sms", "GSM1.c"),
      "6281234567001",
      concatenation,
      "0".repeat(16),
      at,
      await fixtureMessage("part3of3.sms"),
    );
    await store.add(
      await incomingCopy("part1of3.sms", "GSM1.a"),
      "6281234567001",
      { ...concatenation, part: 1 },
      "1".repeat(16),
      new Date(at.getTime() + 1000),
      await fixtureMessage("part1of3.sms"),
    );
    expect(key).toBe("6281234567001_167_3");
    expect(await readdir(join(root, "incoming"))).toEqual([]);

    const group = (await store.read(key))!;
    expect(group.parts.map((part) => part.part)).toEqual([1, 3]);
    expect(isComplete(group)).toBe(false);
    expect(firstArrival(group)).toEqual(at);
    expect(groupExternalId(group)).toMatch(/^sms-parts:6281234567001_167_3:[0-9a-f]{24}:partial$/);

    await store.add(
      await incomingCopy("part2of3.sms", "GSM1.b"),
      "6281234567001",
      { ...concatenation, part: 2 },
      "2".repeat(16),
      at,
      await fixtureMessage("part2of3.sms"),
    );
    const complete = (await store.read(key))!;
    expect(isComplete(complete)).toBe(true);
    expect(groupExternalId(complete)).not.toMatch(/partial/);
    expect(await store.groupKeys()).toEqual([key]);
    await store.remove(key);
    expect(await store.groupKeys()).toEqual([]);
  });

  it("hands back each part's message as parsed on arrival, reading the file only after a restart", async () => {
    const store = new PartStore(join(root, "parts"));
    const concatenation = { reference: 0xa7, total: 3, part: 1 };
    const arrived = await fixtureMessage("part1of3.sms");
    const at = new Date("2026-03-14T02:00:00Z");
    const key = await store.add(
      await incomingCopy("part1of3.sms", "GSM1.a"),
      "6281234567001",
      concatenation,
      "1".repeat(16),
      at,
      arrived,
    );
    const [part] = (await store.read(key))!.parts;
    // Overwritten on disk: only a read of the file would see the change.
    await writeFile(part!.path, "From: 6281234567001\n\nread from disk");
    expect((await store.message(key, part!))?.text).toBe(arrived.text);

    const restarted = new PartStore(join(root, "parts"));
    expect((await restarted.message(key, part!))?.text).toBe("read from disk");
    await writeFile(part!.path, "no headers");
    expect(await restarted.message(key, part!)).toBeUndefined();

    await store.remove(key);
    expect(await store.message(key, part!)).toBeUndefined();
  });
});
