// The console's settings: the daemon list, the password's length, the queue-age source.
import { ConfigError, createQueueAges } from "@isikhnas/platform";
import { describe, expect, it } from "vitest";
import { loadConsoleConfig } from "./config.js";

const BASE = { DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db", CONSOLE_PASSWORD: "twelve chars!" };

describe("console settings", () => {
  it("reads the daemon list as name=url pairs and picks the age source from the endpoint", () => {
    const config = loadConsoleConfig({
      ...BASE,
      CONSOLE_DAEMON_URLS: "email-sender=http://127.0.0.1:9402/, sms-gateway:live=http://10.0.1.5:9407",
      AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:4566",
    });
    expect(config.CONSOLE_DAEMON_URLS).toEqual([
      { name: "email-sender", url: "http://127.0.0.1:9402" },
      { name: "sms-gateway:live", url: "http://10.0.1.5:9407" },
    ]);
    const source = (settings: typeof config) =>
      createQueueAges(settings, settings.CONSOLE_QUEUE_AGE_SOURCE).source;
    expect(source(config)).toBe("emulator");
    expect(source(loadConsoleConfig(BASE))).toBe("cloudwatch");
    const none = loadConsoleConfig({ ...BASE, CONSOLE_QUEUE_AGE_SOURCE: "none" });
    expect(source(none)).toBe("none");
    expect(createQueueAges(none, none.CONSOLE_QUEUE_AGE_SOURCE).ages).toBeUndefined();
  });

  it("names every bad setting at once", () => {
    let error: unknown;
    try {
      loadConsoleConfig({
        DATABASE_URL: BASE.DATABASE_URL,
        CONSOLE_PASSWORD: "short",
        CONSOLE_DAEMON_URLS: "email-sender",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      "CONSOLE_PASSWORD: at least 12 characters",
      'CONSOLE_DAEMON_URLS: "email-sender" is not name=http://host:port',
    ]);
  });
});
