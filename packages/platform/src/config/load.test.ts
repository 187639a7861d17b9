import { describe, expect, it } from "vitest";
import { z } from "zod";
import { awsSchema, databaseSchema, httpSchema, trainingDatabaseSchema } from "./common.js";
import { ConfigError, parseConfig } from "./load.js";

const schema = databaseSchema.extend(awsSchema.shape).extend(httpSchema.shape);

describe("parseConfig", () => {
  it("applies defaults and coerces numbers", () => {
    const config = parseConfig(schema, { DATABASE_URL: "postgres://localhost/x", HTTP_PORT: "8080" });
    expect(config.HTTP_PORT).toBe(8080);
    expect(config.DB_POOL_MAX).toBe(10);
    expect(config.RESOURCE_PREFIX).toBe("isikhnas-live-");
  });

  it("names every missing or bad variable in one error", () => {
    let caught: unknown;
    try {
      parseConfig(schema, { HTTP_PORT: "eighty", AWS_ENDPOINT_URL: "not a url", RESOURCE_PREFIX: "" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join("\n");
    expect(problems).toMatch(/DATABASE_URL: is required but missing/);
    expect(problems).toMatch(/HTTP_PORT:/);
    expect(problems).toMatch(/AWS_ENDPOINT_URL:/);
    expect((caught as ConfigError).message).toContain("DATABASE_URL");
  });

  it("leaves the training database optional but holds its URL to the postgres form", () => {
    const withTraining = schema.extend(trainingDatabaseSchema.shape);
    const base = { DATABASE_URL: "postgres://localhost/live" };
    expect(parseConfig(withTraining, base).TRAINING_DATABASE_URL).toBeUndefined();
    expect(
      parseConfig(withTraining, { ...base, TRAINING_DATABASE_URL: "postgres://localhost/training" })
        .TRAINING_DATABASE_URL,
    ).toBe("postgres://localhost/training");
    expect(() => parseConfig(withTraining, { ...base, TRAINING_DATABASE_URL: "mysql://x" })).toThrow(
      /TRAINING_DATABASE_URL: must be a postgres:\/\/ URL/,
    );
  });

  it("treats empty strings as unset", () => {
    const config = parseConfig(z.object({ NAME: z.string().default("fallback") }), { NAME: "" });
    expect(config.NAME).toBe("fallback");
  });
});
