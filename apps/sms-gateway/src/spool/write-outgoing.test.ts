import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseIncoming } from "./parse-incoming.js";
import { renderOutgoing, writeOutgoing } from "./write-outgoing.js";

describe("renderOutgoing", () => {
  it("writes GSM-7 text plain, with the number international and without '+'", () => {
    const file = renderOutgoing({ to: "+6281234567001", text: "[iSIKHNAS] Case ID 12 €" });
    expect(file.toString("utf8")).toBe("To: 6281234567001\n\n[iSIKHNAS] Case ID 12 €");
  });

  it("writes other text as UCS2 with a big-endian UTF-16 body", () => {
    const text = "[iSIKHNAS] sapi 🐄 “ok”";
    const file = renderOutgoing({ to: "6281234567001", text });
    const header = "To: 6281234567001\nAlphabet: UCS2\n\n";
    expect(file.subarray(0, header.length).toString("latin1")).toBe(header);
    expect(file.subarray(header.length)).toEqual(Buffer.from(text, "utf16le").swap16());
    // The file reads back through the same parser smsd's format uses for received files.
    const back = parseIncoming(Buffer.concat([Buffer.from("From: 1\n"), file]));
    expect(back.ok && back.value.kind === "message" && back.value.text).toBe(text);
  });

  it("refuses an address that is not an international number", () => {
    expect(() => renderOutgoing({ to: "TELKOMSEL", text: "x" })).toThrow(RangeError);
  });
});

describe("writeOutgoing", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("leaves only the final file, never the hidden temporary one", async () => {
    dir = await mkdtemp(join(tmpdir(), "sms-out-"));
    await writeOutgoing(dir, "sms-1-1-abc", { to: "6281234567001", text: "hello" });
    expect(await readdir(dir)).toEqual(["sms-1-1-abc"]);
    expect(await readFile(join(dir, "sms-1-1-abc"), "utf8")).toBe("To: 6281234567001\n\nhello");
  });
});
