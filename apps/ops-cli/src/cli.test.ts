import { describe, expect, it } from "vitest";
import { runCli } from "./cli.js";

async function cli(env: Record<string, string | undefined>, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(["node", "isikhnas", ...args], {
    env,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

// Failures that need no database or queue: each must reach the operator as a message.
describe("isikhnas exit codes and messages", () => {
  it("shows an argument refused by a command's own check, with exit code 1", async () => {
    const result = await cli({}, "template", "nothing");
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^error: unknown template "nothing": expected one of .*vaccination_tally/);
  });

  it("shows a missing setting with exit code 2", async () => {
    const result = await cli({}, "migrate");
    expect(result.code).toBe(2);
    expect(result.err).toContain("DATABASE_URL: is required but missing");
  });

  it("leaves commander's own parse errors to commander, printed once", async () => {
    const result = await cli({}, "nosuchcommand");
    expect(result.code).toBe(1);
    expect(result.err).toBe("");
    expect(result.out).toContain("unknown command 'nosuchcommand'");
  });

  it("exits 0 after the help it was asked for", async () => {
    const result = await cli({}, "--help");
    expect(result.code).toBe(0);
    expect(result.out).toContain("Usage: isikhnas");
    expect(result.err).toBe("");
  });
});
