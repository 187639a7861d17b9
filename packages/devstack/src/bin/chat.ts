#!/usr/bin/env node
// `npm run chat -- --from 6281100000007 "U mc,dm sp 4"`: a person chatting with the local
// stack's bot. It plays the Telegram user of that phone against the fake Bot API of
// `npm start` (sharing their contact first if the chat is not linked yet), then prints the
// bot's replies as they come.
import { parseArgs } from "node:util";
import { localEndpoints } from "../local/environment.js";
import { localLayout } from "../local/layout.js";
import { createDatabase, normalisePhoneForChat } from "./chat-support.js";

const { values, positionals } = parseArgs({
  options: {
    from: { type: "string" },
    training: { type: "boolean", default: false },
    wait: { type: "string", default: "20" },
  },
  allowPositionals: true,
});

const print = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const phone = values.from ? normalisePhoneForChat(values.from) : null;
  const text = positionals.join(" ");
  if (!phone || text === "") {
    print('usage: npm run chat -- --from 6281100000007 [--training] "U mc,dm sp 4"');
    return 2;
  }
  const environment = values.training ? "training" : "live";
  const endpoints = localEndpoints(localLayout());
  const bot = endpoints.telegram[environment];
  if (!bot.fake) {
    print(
      "this environment's bridge talks to the real Telegram (a token was given): chat with it in Telegram",
    );
    return 2;
  }
  // The phone number is the made-up Telegram user id: stable, so the link made once holds.
  const userId = Number(phone);
  const control = async (path: string, body?: unknown) => {
    const response = await fetch(`${bot.apiRoot}/_control/${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await response.json()) as { ok: boolean; result: unknown };
    if (!answer.ok) throw new Error(`the fake Bot API answered ${JSON.stringify(answer)}`);
    return answer.result;
  };
  const sentSoFar = (await control(`sent?chat_id=${userId}`)) as { message_id: number; text: string }[];
  let after = sentSoFar.at(-1)?.message_id ?? 0;
  const from = { id: userId, is_bot: false, first_name: phone };
  const message = (fields: Record<string, unknown>) => ({
    message: {
      message_id: Date.now() % 1_000_000_000,
      date: Math.floor(Date.now() / 1000),
      from,
      chat: { id: userId, type: "private", first_name: phone },
      ...fields,
    },
  });
  const db = createDatabase(endpoints.databaseUrls[environment]);
  try {
    const linked = await db.query(
      "SELECT 1 FROM contacts WHERE channel = 'im' AND address = $1 AND deleted_at IS NULL",
      [String(userId)],
    );
    if (linked.rows.length === 0) {
      print(`(sharing the contact ${phone} to link this chat)`);
      await control(
        "push",
        message({ contact: { phone_number: phone, first_name: phone, user_id: userId } }),
      );
    }
  } finally {
    await db.close();
  }
  await control("push", message({ text }));
  print(`> ${text}`);
  // Replies and alerts arrive within a second or two; print them until a quiet spell.
  const deadline = Date.now() + Number(values.wait) * 1000;
  let lastSeen = Date.now();
  let seen = 0;
  while (Date.now() < deadline && (seen === 0 || Date.now() - lastSeen < 3000)) {
    const replies = (await control(`sent?chat_id=${userId}&after=${after}`)) as {
      message_id: number;
      text: string;
    }[];
    for (const reply of replies) {
      print(`< ${reply.text}`);
      after = Math.max(after, reply.message_id);
      lastSeen = Date.now();
      seen += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (seen === 0) print("(no reply yet: is `npm start` running, with the im-bridge built?)");
  return seen === 0 ? 1 : 0;
}

process.exitCode = await main();
