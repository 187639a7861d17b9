import { ConfigError } from "@isikhnas/platform";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

const base = { DATABASE_URL: "postgres://localhost/live", INGEST_ADDRESS_LIVE: "Laporan@Isikhnas.example" };

describe("loadConfig", () => {
  it("lower-cases the ingest addresses and applies the size limits", () => {
    const config = loadConfig(base);
    expect(config.INGEST_ADDRESS_LIVE).toBe("laporan@isikhnas.example");
    expect(config.MAIL_MAX_BYTES).toBe(25 * 1024 * 1024);
  });

  it("wants the training database whenever the training alias is set", () => {
    expect(() => loadConfig({ ...base, INGEST_ADDRESS_TRAINING: "latihan@isikhnas.example" })).toThrow(
      /TRAINING_DATABASE_URL: is required when INGEST_ADDRESS_TRAINING is set/,
    );
  });

  it("names every missing variable at once", () => {
    try {
      loadConfig({});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.join("\n")).toMatch(
        /INGEST_ADDRESS_LIVE[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*INGEST_ADDRESS_LIVE/,
      );
    }
  });
});
