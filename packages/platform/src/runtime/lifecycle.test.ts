import { EventEmitter } from "node:events";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../logger.js";
import { type Daemon, loadConfigOrExit, runDaemon } from "./lifecycle.js";

/** A stand-in for `process` that records exits instead of exiting. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  let resolveExit: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => {
    resolveExit = resolve;
  });
  return {
    on: (event: string, listener: (...args: unknown[]) => void) => emitter.on(event, listener),
    exit: (code?: number) => {
      exits.push(code ?? 0);
      resolveExit(code ?? 0);
      return undefined as never;
    },
    exitCode: undefined,
    emit: (event: string, ...args: unknown[]) => emitter.emit(event, ...args),
    exits,
    exited,
  };
}

const silent = () =>
  createLogger({
    name: "test",
    level: "silent",
    destination: new Writable({ write: (_c, _e, cb) => cb() }),
  });

function controllableDaemon() {
  const events: string[] = [];
  let finishStop: () => void = () => {};
  const daemon: Daemon = {
    async start() {
      events.push("start");
    },
    stop() {
      events.push("stop");
      return new Promise<void>((resolve) => {
        finishStop = resolve;
      });
    },
  };
  return { daemon, events, finishStop: () => finishStop() };
}

describe("runDaemon", () => {
  it("stops the daemon on SIGTERM and exits 0 once it has drained", async () => {
    const proc = fakeProcess();
    const { daemon, events, finishStop } = controllableDaemon();
    await runDaemon(async () => daemon, { logger: silent(), process: proc as never });
    expect(events).toEqual(["start"]);
    proc.emit("SIGTERM");
    expect(events).toEqual(["start", "stop"]);
    expect(proc.exits).toEqual([]);
    finishStop();
    expect(await proc.exited).toBe(0);
  });

  it("forces the exit on a second signal while draining", async () => {
    const proc = fakeProcess();
    const { daemon } = controllableDaemon();
    await runDaemon(async () => daemon, { logger: silent(), process: proc as never });
    proc.emit("SIGINT");
    proc.emit("SIGINT");
    expect(proc.exits).toEqual([130]);
  });

  it("exits 1 when the drain outlives its deadline", async () => {
    const proc = fakeProcess();
    const { daemon } = controllableDaemon();
    await runDaemon(async () => daemon, { logger: silent(), process: proc as never, shutdownTimeoutMs: 50 });
    proc.emit("SIGTERM");
    expect(await proc.exited).toBe(1);
  });

  it("exits 1 when start fails and when an error escapes", async () => {
    const failing = fakeProcess();
    await runDaemon(
      async () => ({
        start: async () => {
          throw new Error("no database");
        },
        stop: async () => {},
      }),
      { logger: silent(), process: failing as never },
    );
    expect(await failing.exited).toBe(1);

    const crashing = fakeProcess();
    await runDaemon(async () => ({ start: async () => {}, stop: async () => {} }), {
      logger: silent(),
      process: crashing as never,
    });
    crashing.emit("uncaughtException", new Error("boom"));
    expect(await crashing.exited).toBe(1);
  });
});

describe("loadConfigOrExit", () => {
  it("returns the configuration, or prints the error and exits 78", async () => {
    const { ConfigError } = await import("../config/load.js");
    const written: string[] = [];
    const exits: number[] = [];
    const proc = {
      versions: process.versions,
      stderr: { write: (text: string) => written.push(text) },
      exit: (code?: number) => {
        exits.push(code ?? 0);
        return undefined as never;
      },
    };
    expect(loadConfigOrExit(() => ({ port: 1 }), proc as never)).toEqual({ port: 1 });
    loadConfigOrExit(() => {
      throw new ConfigError(["DATABASE_URL: is required but missing"]);
    }, proc as never);
    expect(exits).toEqual([78]);
    expect(written.join("")).toContain("DATABASE_URL: is required but missing");
  });

  it("refuses a Node.js older than 22 with exit 78, before reading any setting", () => {
    const written: string[] = [];
    const exits: number[] = [];
    let loaded = false;
    const proc = {
      versions: { node: "20.20.2" },
      stderr: { write: (text: string) => written.push(text) },
      exit: (code?: number) => {
        exits.push(code ?? 0);
        return undefined as never;
      },
    };
    loadConfigOrExit(() => {
      loaded = true;
      return {};
    }, proc as never);
    expect(exits).toEqual([78]);
    expect(loaded).toBe(false);
    expect(written.join("")).toContain(
      "Node.js 22 or later is required (24 LTS recommended); this is 20.20.2",
    );
  });
});
