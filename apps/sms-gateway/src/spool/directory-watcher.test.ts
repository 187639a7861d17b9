import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@isikhnas/devstack/testing";
import { createLogger } from "@isikhnas/platform";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DirectoryWatcher } from "./directory-watcher.js";
import { isSpoolMessageName } from "./layout.js";

const logger = createLogger({ name: "sms-gateway-test", level: "silent" });

let dir: string;
let watcher: DirectoryWatcher | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sms-watch-"));
});

afterEach(async () => {
  await watcher?.stop();
  watcher = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A watcher whose handler fails for every file, recording the failure counts it is told. */
function failingWatcher(watch: boolean, seen: Array<[string, number]>, rescanIntervalMs = 600_000) {
  return new DirectoryWatcher({
    dir,
    watch,
    scanAtStart: true,
    rescanIntervalMs,
    settleMs: 0,
    concurrency: 2,
    accept: isSpoolMessageName,
    handle: async (path, failures) => {
      seen.push([path.slice(dir.length + 1), failures]);
      throw new Error("database down");
    },
    logger,
  });
}

describe("DirectoryWatcher failure counts", () => {
  it("counts a file's failures across rescans and forgets them once a scan no longer lists it", async () => {
    const seen: Array<[string, number]> = [];
    await writeFile(join(dir, "GSM1.a"), "x");
    await writeFile(join(dir, "GSM1.b"), "x");
    watcher = failingWatcher(false, seen);
    await watcher.start();
    await watcher.idle();
    await watcher.scan();
    await watcher.idle();
    expect(seen.filter(([name]) => name === "GSM1.a").map(([, failures]) => failures)).toEqual([0, 1]);
    expect(watcher.failing).toBe(2);

    await unlink(join(dir, "GSM1.a"));
    await watcher.scan();
    await watcher.idle();
    expect(watcher.failing).toBe(1);
    await unlink(join(dir, "GSM1.b"));
    await watcher.scan();
    expect(watcher.failing).toBe(0);

    // A new file under an old name starts from nothing.
    await writeFile(join(dir, "GSM1.a"), "y");
    await watcher.scan();
    await watcher.idle();
    expect(seen.at(-1)).toEqual(["GSM1.a", 0]);
  });

  it("forgets a failing file as soon as the folder watch reports it gone", async () => {
    const seen: Array<[string, number]> = [];
    await writeFile(join(dir, "GSM1.c"), "x");
    watcher = failingWatcher(true, seen);
    await watcher.start();
    await watcher.idle();
    expect(watcher.failing).toBe(1);

    await unlink(join(dir, "GSM1.c"));
    await waitFor(() => watcher?.failing === 0, { description: "the failure forgotten" });
    expect(seen).toEqual([["GSM1.c", 0]]);
  });

  it("remembers nothing when it never rescans, as for sent/ and failed/", async () => {
    const seen: Array<[string, number]> = [];
    await writeFile(join(dir, "sms-1-1-abcdef"), "x");
    watcher = failingWatcher(true, seen, 0);
    await watcher.start();
    await watcher.idle();
    expect(seen).toEqual([["sms-1-1-abcdef", 0]]);
    expect(watcher.failing).toBe(0);
  });
});

describe("DirectoryWatcher during an outage", () => {
  it("passes the try on to the next file when the file it was for has gone", async () => {
    await writeFile(join(dir, "GSM1.a"), "x");
    await writeFile(join(dir, "GSM1.b"), "x");
    const handled: string[] = [];
    let calls = 0;
    watcher = new DirectoryWatcher({
      dir,
      watch: false,
      scanAtStart: true,
      rescanIntervalMs: 0,
      settleMs: 0,
      concurrency: 1,
      accept: isSpoolMessageName,
      handle: async (path) => {
        calls += 1;
        if (calls === 1) {
          // The database goes away, and the file is taken away before its next try.
          await unlink(path);
          throw new Error("database down");
        }
        handled.push(path.slice(dir.length + 1));
      },
      logger,
      outage: { what: "database", unavailable: (error) => String(error).includes("down"), baseMs: 10 },
    });
    await watcher.start();
    await waitFor(() => handled.length === 1, { description: "the other file handled" });
    await watcher.idle();
    expect(handled).toEqual(["GSM1.b"]);
  });
});
