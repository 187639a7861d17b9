// Configuration is read once, at the edge, from an env-like record and validated with
// zod; one error names every missing or bad variable.
import { z } from "zod";
import { PlatformError } from "../errors.js";

export type Env = Record<string, string | undefined>;

export class ConfigError extends PlatformError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super("CONFIG_INVALID", `invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Parses `env` with `schema`; throws a ConfigError listing every bad variable. */
export function parseConfig<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  // Empty strings count as unset: systemd EnvironmentFile and shells produce them.
  const cleaned: Env = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== "") cleaned[key] = value;
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "(config)";
    const received = issue.code === "invalid_type" && cleaned[name] === undefined ? "missing" : issue.message;
    return `${name}: ${received === "missing" ? "is required but missing" : received}`;
  });
  throw new ConfigError(problems);
}

export const booleanFromEnv = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

/** A comma-separated list ("a, b,,c" → ["a", "b", "c"]); unset or empty is no entries. */
export const listFromEnv = z
  .string()
  .default("")
  .transform((value) =>
    value
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
  );
