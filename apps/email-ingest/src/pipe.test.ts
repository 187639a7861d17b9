import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { GetQueueUrlCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { EmailInput } from "@isikhnas/contracts";
import { createTestStack, type TestStack } from "@isikhnas/devstack/testing";
import { DEMO_USERS, seedDemoData, seedReferenceData } from "@isikhnas/domain";
import { physicalBucketName } from "@isikhnas/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pipeRecipient } from "./pipe.js";
import { fixtureMail } from "./testing/fixture-mail.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const entry = fileURLToPath(new URL("./main.ts", import.meta.url));

/** Runs the entry point the way Postfix's pipe(8) does: mail on stdin, judged by exit status. */
function runPipe(
  mail: Buffer,
  env: Record<string, string | undefined>,
  args: string[],
): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", entry, "pipe", ...args],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, ...env },
        stdio: ["pipe", "ignore", "ignore"],
      },
    );
    child.on("error", reject);
    child.on("exit", (code) => resolve(code));
    child.stdin.end(mail);
  });
}

describe("the Postfix pipe", () => {
  let stack: TestStack;
  let env: Record<string, string | undefined>;
  let mail: Buffer;

  beforeAll(async () => {
    stack = await createTestStack();
    await stack.provision();
    const db = stack.openDatabase({ poolMax: 2 });
    await seedReferenceData(db);
    await seedDemoData(db);
    env = { ...stack.env, INGEST_ADDRESS_LIVE: "laporan@isikhnas.example", LOG_LEVEL: "silent" };
    mail = await fixtureMail("nested-multipart.eml", {
      from: DEMO_USERS.abattoir_reporter.email,
      to: "laporan@isikhnas.example",
      tag: stack.id,
    });
  });

  afterAll(async () => {
    await stack.close();
  });

  it("exits 0 once the workbook is queued, taking the recipient from ORIGINAL_RECIPIENT", async () => {
    expect(await runPipe(mail, { ...env, ORIGINAL_RECIPIENT: "laporan+juni@isikhnas.example" }, [])).toBe(0);
    const { QueueUrl } = await stack.sqs.send(
      new GetQueueUrlCommand({ QueueName: `${stack.prefix}emailinput` }),
    );
    const received = await stack.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    const input = JSON.parse(received.Messages?.[0]?.Body ?? "null") as EmailInput;
    expect(input.attachment.filename).toBe("Laporan pemotongan – Juni.xlsx");
  });

  it("exits 75 (EX_TEMPFAIL) when S3 is unreachable, so Postfix keeps the mail", async () => {
    const down = { ...env, AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9" };
    expect(await runPipe(mail, down, ["--recipient", "laporan@isikhnas.example"])).toBe(75);
  });

  it("exits 75 when the database is unreachable after the raw mail was stored", async () => {
    const storedMails = async () => {
      const listed = await stack.s3.send(
        new ListObjectsV2Command({ Bucket: physicalBucketName(stack.prefix, "rawmail"), Prefix: "postfix/" }),
      );
      return listed.KeyCount ?? 0;
    };
    const before = await storedMails();
    const down = { ...env, DATABASE_URL: "postgres://nobody@127.0.0.1:9/none" };
    expect(await runPipe(mail, down, ["--recipient", "laporan@isikhnas.example"])).toBe(75);
    expect(await storedMails()).toBe(before + 1);
  });

  it("exits 75 when its configuration is incomplete", async () => {
    expect(await runPipe(mail, { ...env, INGEST_ADDRESS_LIVE: undefined }, [])).toBe(75);
  });

  it("reads the recipient from --recipient, then ORIGINAL_RECIPIENT, then RECIPIENT", () => {
    expect(pipeRecipient(["--recipient", "a@x.id"], { ORIGINAL_RECIPIENT: "b@x.id" })).toBe("a@x.id");
    expect(pipeRecipient([], { ORIGINAL_RECIPIENT: "b@x.id", RECIPIENT: "c@x.id" })).toBe("b@x.id");
    expect(pipeRecipient([], { RECIPIENT: "c@x.id" })).toBe("c@x.id");
    expect(pipeRecipient([], {})).toBeUndefined();
  });
});
