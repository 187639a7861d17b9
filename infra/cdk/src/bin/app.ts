// Entry point of `cdk synth|deploy` and `npm run synth`: cdk.json's settings, the CLI's
// `-c` overrides on top, the templates written to cdk.out.
import { existsSync, readFileSync } from "node:fs";
import { createInfraApp } from "../app.js";

const file = new URL("../../cdk.json", import.meta.url);
const fileContext: Record<string, unknown> = existsSync(file)
  ? ((JSON.parse(readFileSync(file, "utf8")) as { context?: Record<string, unknown> }).context ?? {})
  : {};

const { app } = createInfraApp({ context: fileContext, outdir: process.env.CDK_OUTDIR ?? "cdk.out" });
const assembly = app.synth();
for (const stack of assembly.stacks) console.log(`${stack.stackName}: ${stack.templateFile}`);
