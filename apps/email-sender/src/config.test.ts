import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("defaults to SES's starting rate and names what is missing", () => {
    expect(() => loadConfig({})).toThrow(/MAIL_FROM[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*MAIL_FROM/);
    const config = loadConfig({
      DATABASE_URL: "postgres://localhost/live",
      MAIL_FROM: "iSIKHNAS <laporan@isikhnas.id>",
    });
    expect(config).toMatchObject({ SEND_RATE_PER_SECOND: 14, MAIL_TRANSPORT: "ses", SEND_ACCOUNT: "ses" });
  });

  it("refuses a rate that is not positive", () => {
    expect(() =>
      loadConfig({
        DATABASE_URL: "postgres://localhost/live",
        MAIL_FROM: "a@b.id",
        SEND_RATE_PER_SECOND: "0",
      }),
    ).toThrow(/SEND_RATE_PER_SECOND/);
  });
});
