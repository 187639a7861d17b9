// Test support: a bridge over a test stack's database and images bucket, talking to the
// fake Bot API, and the demo people as Telegram users.

import type { FakeBotApi, FakeUser, TestStack } from "@isikhnas/devstack/testing";
import { DEMO_USERS, seedDemoData, seedReferenceData } from "@isikhnas/domain";
import {
  createBuckets,
  createDatabase,
  createLogger,
  type Database,
  type Env,
  type Logger,
} from "@isikhnas/platform";
import { createApp, type ImBridge } from "../app.js";
import { type Config, loadConfig } from "../config.js";

export const logger = createLogger({ name: "im-bridge-test", level: process.env.TEST_LOG_LEVEL ?? "silent" });

export const TOKEN = "7000001:test-token-abcdefghijklmnop";

export function testConfig(stack: TestStack, fake: FakeBotApi, overrides: Env = {}): Config {
  return loadConfig({
    ...stack.env,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.url,
    IM_POLL_TIMEOUT_SECONDS: "1",
    IM_SEND_POLL_INTERVAL_MS: "100",
    IM_CHAT_INTERVAL_MS: "0",
    IM_CONFLICT_BACKOFF_MS: "200",
    ...overrides,
  });
}

export function bridge(
  stack: TestStack,
  fake: FakeBotApi,
  overrides: Env = {},
  log: Logger = logger,
): ImBridge {
  const config = testConfig(stack, fake, overrides);
  const db = createDatabase(config, "im-bridge-test");
  const images = createBuckets({ s3: stack.s3 }, { prefix: stack.prefix }).images;
  return createApp({ config, db, images, logger: log });
}

export async function seeded(db: Database): Promise<void> {
  await seedReferenceData(db);
  await seedDemoData(db);
}

/** A demo user as the Telegram user linked to them (the demo data links `9000000NN`). */
export function linkedUser(type: keyof typeof DEMO_USERS): FakeUser {
  const user = DEMO_USERS[type];
  return { id: Number(user.imId), first_name: user.name };
}
