// Watches one flat spool folder: inotify events through fs.watch, a scan at start for the
// backlog and rescans as a safety net for dropped events. Files are handled with bounded
// concurrency, each name once at a time, and only once they have settled (smsd writes
// incoming files in place, so a file younger than the settle time may still be growing).
// A name whose handling failed is remembered with its count of failures until it is handled,
// or its file is gone (seen missing, or absent from a scan), so memory stays bounded. Only
// a watcher that rescans remembers: without rescans nothing tries the file again, and a
// file that stays (sent/ keeps every file) would be remembered forever.
// chokidar was considered: its write-finish detection polls every file, which is heavy for
// a backlog of thousands, and one flat folder needs nothing beyond fs.watch.
import { type FSWatcher, watch } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { backoff, type Logger } from "@isikhnas/platform";
import { exists, ignoreMissing } from "./files.js";

export interface DirectoryWatcherOptions {
  dir: string;
  /** Listen to inotify events; false relies on scans alone. */
  watch: boolean;
  scanAtStart: boolean;
  /** 0 turns periodic rescans off. */
  rescanIntervalMs: number;
  /** A file is handled once its mtime is at least this old. */
  settleMs: number;
  concurrency: number;
  accept: (name: string) => boolean;
  /**
   * Handles one file, told how often its handling failed before; a thrown error is logged
   * and the file waits for the next rescan.
   */
  handle: (path: string, failures: number) => Promise<void>;
  logger: Logger;
  /**
   * Errors that say a dependency every file needs is away (the database), not that the
   * file is at fault. The first pauses handling and is logged once; one file at a time is
   * then tried again, waiting longer each time (up to the rescan interval), and the end
   * of the outage is logged once. The files stay in the folder throughout.
   */
  outage?: { what: string; unavailable: (error: unknown) => boolean; baseMs?: number };
}

/** The longest wait between tries during an outage when the watcher does not rescan. */
const OUTAGE_MAX_WAIT_MS = 30_000;

export class DirectoryWatcher {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Map<string, Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Names waiting for a timer, so a rescan does not queue them a second time. */
  private readonly waiting = new Set<string>();
  /** Names whose handling failed, with how often in a row, while their file is there. */
  private readonly failures = new Map<string, number>();
  private watcher: FSWatcher | undefined;
  private rescanTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private idleWaiters: Array<() => void> = [];
  /** Set while a dependency is away: the tries so far, and whether one file may go now. */
  private outage: { since: number; tries: number; probe: boolean; timer?: NodeJS.Timeout } | undefined;

  constructor(private readonly options: DirectoryWatcherOptions) {}

  async start(): Promise<void> {
    this.stopping = false;
    if (this.options.watch) {
      this.watcher = watch(this.options.dir, { persistent: false }, (_event, name) => {
        if (name) this.enqueue(name.toString());
        // A null name means the kernel queue overflowed: only a scan can tell what changed.
        else void this.scan();
      });
      this.watcher.on("error", (error) => {
        this.options.logger.error(
          { err: error, dir: this.options.dir },
          "folder watch failed; relying on rescans",
        );
      });
    }
    if (this.options.scanAtStart) await this.scan();
    if (this.options.rescanIntervalMs > 0) {
      this.rescanTimer = setInterval(() => void this.scan(), this.options.rescanIntervalMs);
      this.rescanTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.watcher?.close();
    this.watcher = undefined;
    if (this.rescanTimer) clearInterval(this.rescanTimer);
    clearTimeout(this.outage?.timer);
    this.outage = undefined;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiting.clear();
    this.queue.length = 0;
    this.queued.clear();
    await Promise.allSettled(this.active.values());
  }

  /** How many files are waiting for another try after failing. */
  get failing(): number {
    return this.failures.size;
  }

  /** Lists the folder and queues every message file in it. */
  async scan(): Promise<void> {
    if (this.stopping) return;
    try {
      const names = await readdir(this.options.dir);
      names.sort();
      const listed = new Set(names);
      for (const name of this.failures.keys()) if (!listed.has(name)) this.failures.delete(name);
      for (const name of names) this.enqueue(name);
    } catch (error) {
      this.options.logger.error({ err: error, dir: this.options.dir }, "cannot list spool folder");
    }
  }

  /** Resolves when nothing is queued, waiting or being handled. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle() {
    return this.queue.length === 0 && this.active.size === 0 && this.timers.size === 0;
  }

  private enqueue(name: string) {
    if (this.stopping || !this.options.accept(name)) return;
    if (this.queued.has(name) || this.active.has(name) || this.waiting.has(name)) return;
    this.queued.add(name);
    this.queue.push(name);
    this.pump();
  }

  /** How many files may be handled at once: none during an outage but its one try. */
  private limit(): number {
    if (!this.outage) return this.options.concurrency;
    return this.outage.probe ? 1 : 0;
  }

  private pump() {
    while (!this.stopping && this.active.size < this.limit() && this.queue.length > 0) {
      const name = this.queue.shift()!;
      this.queued.delete(name);
      if (this.outage) this.outage.probe = false;
      const run = this.process(name).finally(() => {
        this.active.delete(name);
        // A try that never reached the handler (its file gone, or not settled) tells
        // nothing about the outage: the next file gets the try.
        const outage = this.outage;
        if (outage && !outage.probe && outage.timer === undefined && this.active.size === 0)
          outage.probe = true;
        this.pump();
        this.notifyIdle();
      });
      this.active.set(name, run);
    }
    this.notifyIdle();
  }

  private notifyIdle() {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private later(name: string, delayMs: number) {
    this.waiting.add(name);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.waiting.delete(name);
      this.enqueue(name);
      this.notifyIdle();
    }, delayMs);
    this.timers.add(timer);
  }

  private async process(name: string): Promise<void> {
    const path = join(this.options.dir, name);
    try {
      const info = await stat(path).catch(ignoreMissing(undefined));
      if (!info?.isFile()) {
        this.failures.delete(name);
        return;
      }
      const age = Date.now() - info.mtimeMs;
      if (age < this.options.settleMs) {
        this.later(name, this.options.settleMs - age);
        return;
      }
      // smsd locks a file it is still working on with a sibling `<name>.LOCK`.
      if (await exists(`${path}.LOCK`)) {
        this.later(name, Math.max(this.options.settleMs, 200));
        return;
      }
    } catch (error) {
      this.options.logger.error({ err: error, file: name }, "spool file not handled; will try again");
      return;
    }
    const failures = this.failures.get(name) ?? 0;
    try {
      await this.options.handle(path, failures);
      this.failures.delete(name);
      this.outageOver();
    } catch (error) {
      if (this.options.rescanIntervalMs > 0) this.failures.set(name, failures + 1);
      if (this.options.outage?.unavailable(error)) {
        // The file waits at the head of the queue for the next try; it is still on disk.
        if (!this.queued.has(name)) {
          this.queued.add(name);
          this.queue.unshift(name);
        }
        this.outageGoesOn(error);
        return;
      }
      this.outageOver();
      this.options.logger.error({ err: error, file: name }, "spool file not handled; will try again");
    }
  }

  private outageGoesOn(error: unknown) {
    const outage = this.options.outage;
    if (!outage || this.stopping) return;
    if (!this.outage) {
      this.outage = { since: Date.now(), tries: 0, probe: false };
      this.options.logger.error(
        { err: error, dir: this.options.dir },
        `spool handling paused: ${outage.what} unavailable; trying one file again with backoff`,
      );
    } else if (this.outage.timer !== undefined || this.outage.probe) {
      // Another file that was under way when the outage began: its try is already planned.
      return;
    }
    this.outage.tries += 1;
    const maxMs = this.options.rescanIntervalMs > 0 ? this.options.rescanIntervalMs : OUTAGE_MAX_WAIT_MS;
    const waitMs = backoff({ attempt: this.outage.tries, baseMs: outage.baseMs ?? 250, maxMs, jitter: 0.1 });
    const current = this.outage;
    current.timer = setTimeout(() => {
      current.timer = undefined;
      current.probe = true;
      this.pump();
    }, waitMs);
  }

  private outageOver() {
    const outage = this.outage;
    if (!outage) return;
    clearTimeout(outage.timer);
    this.outage = undefined;
    this.options.logger.info(
      { dir: this.options.dir, pausedMs: Date.now() - outage.since, tries: outage.tries },
      `spool handling resumed: ${this.options.outage?.what ?? "dependency"} back`,
    );
    this.pump();
  }
}
