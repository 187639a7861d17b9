import { describe, expect, it } from "vitest";
import { parseSettings, SettingsError } from "./settings.js";

const required = {
  mailDomain: "isikhnas.example.id",
  alertEmail: "ops@isikhnas.example.id",
  releaseBucket: "releases",
};

describe("parseSettings", () => {
  it("fills live defaults: Jakarta, the app's prefix, Multi-AZ with deletion protection", () => {
    const settings = parseSettings({ environment: "live", ...required });
    expect(settings).toMatchObject({
      environment: "live",
      region: "ap-southeast-3",
      prefix: "isikhnas-live-",
      databaseMultiAz: true,
      deletionProtection: true,
      sidecarPrefix: "isikhnas-training-",
    });
  });

  it("makes training smaller: single-AZ, a burstable instance, shorter backups", () => {
    const live = parseSettings({ environment: "live", ...required });
    const training = parseSettings({ environment: "training" });
    expect(training).toMatchObject({ prefix: "isikhnas-training-", databaseMultiAz: false });
    expect(training.databaseAllocatedStorageGb).toBeLessThan(live.databaseAllocatedStorageGb);
    expect(training.backupRetentionDays).toBeLessThan(live.backupRetentionDays);
  });

  it("reads command-line strings: 'false' is false and numbers are numbers", () => {
    const settings = parseSettings({
      environment: "live",
      ...required,
      databaseMultiAz: "false",
      processingMaxInstances: "10",
    });
    expect(settings.databaseMultiAz).toBe(false);
    expect(settings.environment === "live" && settings.processingMaxInstances).toBe(10);
  });

  it("names every missing or bad setting in one error", () => {
    let caught: unknown;
    try {
      parseSettings({ environment: "live", prefix: "Bad_Prefix", alertEmail: "nobody" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SettingsError);
    const message = (caught as Error).message;
    for (const name of ["prefix", "alertEmail", "mailDomain", "releaseBucket"])
      expect(message).toContain(`${name}:`);
  });

  it("puts Node.js 24 on the hosts by default and refuses a release line out of support", () => {
    const nodeOf = (extra: Record<string, string>) => {
      const settings = parseSettings({ environment: "live", ...required, ...extra });
      return settings.environment === "live" ? settings.nodeVersion : undefined;
    };
    expect(nodeOf({})).toMatch(/^24\./);
    expect(nodeOf({ nodeVersion: "22.22.0" })).toBe("22.22.0");
    expect(() => nodeOf({ nodeVersion: "20.20.2" })).toThrow(/nodeVersion: a Node.js version 22/);
  });
});
