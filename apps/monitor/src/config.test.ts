import { ConfigError } from "@isikhnas/platform";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

const base = { MONITOR_ADMIN_PHONES: "6281200000001" };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe("monitor settings", () => {
  it("reads the defaults: every 30 s, three failures, SNS, every queue", () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({
      MONITOR_INTERVAL_MS: 30_000,
      MONITOR_FAILURES_TO_OPEN: 3,
      MONITOR_REMINDER_HOURS: 24,
      MONITOR_NOTIFY: ["sns"],
      MONITOR_QUEUES: ["emailinput", "emailoutput", "reportrequest", "mailinbound"],
      MONITOR_ADMIN_PHONES: ["6281200000001"],
      MONITOR_READYZ_URLS: [],
    });
    expect(loadConfig({ ...base, MONITOR_QUEUES: "none" }).MONITOR_QUEUES).toEqual([]);
  });

  it("names readiness targets by name=url, or by host and port", () => {
    expect(
      loadConfig({
        ...base,
        MONITOR_READYZ_URLS: "sms-gateway=http://10.0.1.5:9408/readyz, http://10.0.1.6:9401/readyz",
      }).MONITOR_READYZ_URLS,
    ).toEqual([
      { name: "sms-gateway", url: "http://10.0.1.5:9408/readyz" },
      { name: "10.0.1.6:9401", url: "http://10.0.1.6:9401/readyz" },
    ]);
  });

  it("names every bad or missing setting at once", () => {
    expect(problems({})).toEqual([expect.stringMatching(/^MONITOR_ADMIN_PHONES: at least one/)]);
    expect(
      problems({
        ...base,
        MONITOR_NOTIFY: "spool,webhook,pager",
        MONITOR_READYZ_URLS: "a=not a url",
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^MONITOR_NOTIFY/),
        expect.stringMatching(/^MONITOR_READYZ_URLS: not a URL/),
      ]),
    );
    expect(problems({ ...base, MONITOR_NOTIFY: "spool,webhook" })).toEqual([
      "MONITOR_NOTIFY_SPOOL_DIR: is required with MONITOR_NOTIFY=spool",
      "MONITOR_NOTIFY_WEBHOOK_URL: is required with MONITOR_NOTIFY=webhook",
    ]);
    expect(problems({ ...base, MONITOR_CANARY_SPOOL_DIR: "/var/spool/sms" })).toEqual([
      "MONITOR_CANARY_PHONE: MONITOR_CANARY_SPOOL_DIR and MONITOR_CANARY_PHONE go together",
    ]);
    expect(problems({ ...base, MONITOR_ADMIN_PHONES: "0812-555" })).toEqual([
      expect.stringMatching(/^MONITOR_ADMIN_PHONES\.0: international numbers/),
    ]);
  });
});
