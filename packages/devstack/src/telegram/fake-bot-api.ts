// A Telegram Bot API server on 127.0.0.1 for tests and the local stack: it speaks the
// HTTP protocol of api.telegram.org (getMe, webhooks, getUpdates with offset and long
// polling, sendMessage, getFile and file downloads), answers 409 to a second concurrent
// poller, and lets a caller push updates, read what the bot sent and inject failures.
import { randomBytes, randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Telegram's update as JSON; the fake does not restrict its shape (odd updates are the point). */
export type FakeUpdate = Record<string, unknown> & { update_id: number };

export interface SentMessage {
  message_id: number;
  chat_id: number | string;
  text: string;
  reply_to_message_id?: number;
  reply_markup?: unknown;
  parse_mode?: string;
}

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
}

/** An injected answer: an HTTP status with Telegram's error body, or no answer at all. */
export type InjectedAnswer = { status: number; description?: string; retryAfter?: number } | { hang: true };

export interface FakeUser {
  id: number;
  first_name: string;
  username?: string;
}

interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  bytes: Buffer;
  /** What getFile reports; may lie, as a file over the Bot API's 20 MB is never served. */
  file_size: number;
}

interface Poll {
  params: Record<string, unknown>;
  respond: (updates: FakeUpdate[]) => void;
}

const BOT_API_DOWNLOAD_LIMIT = 20 * 1024 * 1024;

export interface FakeBotApiOptions {
  token: string;
  host?: string;
  port?: number;
  bot?: FakeUser;
}

export class FakeBotApi {
  readonly token: string;
  readonly bot: FakeUser;
  readonly sent: SentMessage[] = [];
  readonly calls: ApiCall[] = [];
  private readonly updates: FakeUpdate[] = [];
  private readonly files = new Map<string, StoredFile>();
  private readonly interceptors: ((call: ApiCall) => InjectedAnswer | undefined)[] = [];
  private readonly sentListeners = new Set<() => void>();
  private readonly hanging = new Set<ServerResponse>();
  // Telegram never reuses a bot's update ids; fakes started one after another for the same
  // bot (and database) must not either.
  private nextUpdateId = randomInt(1, 1_000_000) * 1000;
  private nextMessageId = 1;
  private poll: Poll | undefined;
  private webhook: { url: string; secretToken?: string } | undefined;

  private constructor(
    private readonly server: Server,
    options: FakeBotApiOptions,
  ) {
    this.token = options.token;
    this.bot = options.bot ?? { id: Number(options.token.split(":")[0]) || 1, first_name: "iSIKHNAS" };
  }

  static async start(options: FakeBotApiOptions): Promise<FakeBotApi> {
    let instance: FakeBotApi | undefined;
    const server = createServer((request, response) => {
      instance?.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500).end(String(error));
      });
    });
    instance = new FakeBotApi(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
    });
    return instance;
  }

  /** The base URL a client uses instead of https://api.telegram.org. */
  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  get webhookInfo(): { url: string; secretToken?: string } | undefined {
    return this.webhook;
  }

  /** Queues an update (its update_id is assigned here) and wakes a waiting poller. */
  push(update: Record<string, unknown>): FakeUpdate {
    const stored = { ...update, update_id: this.nextUpdateId++ } as FakeUpdate;
    this.updates.push(stored);
    this.wakePoller();
    return stored;
  }

  /** A private text message from `from`. */
  pushText(from: FakeUser, text: string, extra: Record<string, unknown> = {}): FakeUpdate {
    return this.push({ message: { ...this.message(from), text, ...extra } });
  }

  /** A shared contact; `owner` is whose contact it is (the sender's own unless forwarded). */
  pushContact(from: FakeUser, phone: string, owner: FakeUser | null = from): FakeUpdate {
    const contact: Record<string, unknown> = {
      phone_number: phone,
      first_name: owner?.first_name ?? "Someone",
    };
    if (owner) contact.user_id = owner.id;
    return this.push({ message: { ...this.message(from), contact } });
  }

  /**
   * A photo (Telegram sends several sizes of one picture; `bytes` is the largest). The
   * smaller sizes are thumbnails the fake makes up.
   */
  pushPhoto(
    from: FakeUser,
    bytes: Buffer,
    options: { caption?: string; mediaGroupId?: string; replyTo?: number; reportedSize?: number } = {},
  ): FakeUpdate {
    const large = this.addFile(bytes, "photos", options.reportedSize);
    const thumb = this.addFile(bytes.subarray(0, Math.min(bytes.length, 64)), "photos");
    const photo = [
      {
        file_id: thumb.file_id,
        file_unique_id: thumb.file_unique_id,
        width: 90,
        height: 90,
        file_size: thumb.file_size,
      },
      {
        file_id: large.file_id,
        file_unique_id: large.file_unique_id,
        width: 1280,
        height: 960,
        file_size: large.file_size,
      },
    ];
    const message: Record<string, unknown> = { ...this.message(from), photo };
    if (options.caption !== undefined) message.caption = options.caption;
    if (options.mediaGroupId !== undefined) message.media_group_id = options.mediaGroupId;
    if (options.replyTo !== undefined) message.reply_to_message = this.sentAsMessage(options.replyTo);
    return this.push({ message });
  }

  /** A file the bot can fetch with getFile; returns its ids. */
  addFile(bytes: Buffer, folder = "documents", reportedSize?: number): StoredFile {
    const unique = randomBytes(8).toString("hex");
    const file: StoredFile = {
      file_id: `F${unique}`,
      file_unique_id: `U${unique}`,
      file_path: `${folder}/file_${unique}.jpg`,
      bytes,
      file_size: reportedSize ?? bytes.length,
    };
    this.files.set(file.file_id, file);
    return file;
  }

  /** The message fields Telegram fills in for a private chat with `from`. */
  message(
    from: FakeUser,
    chat: Record<string, unknown> = { id: from.id, type: "private", first_name: from.first_name },
  ) {
    return {
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      from: { ...from, is_bot: false },
      chat,
    };
  }

  /** Answers every call for which `rule` returns an answer with that answer instead (until removed). */
  intercept(rule: (call: ApiCall) => InjectedAnswer | undefined): () => void {
    this.interceptors.push(rule);
    return () => {
      const index = this.interceptors.indexOf(rule);
      if (index >= 0) this.interceptors.splice(index, 1);
    };
  }

  /** Answers the next `times` calls of `method` with `answer`. */
  failNext(method: string, answer: InjectedAnswer, times = 1): void {
    let left = times;
    const remove = this.intercept((call) => {
      if (call.method !== method || left <= 0) return undefined;
      left -= 1;
      if (left === 0) queueMicrotask(remove);
      return answer;
    });
  }

  /** Messages sent to one chat, oldest first. */
  sentTo(chatId: number | string): SentMessage[] {
    return this.sent.filter((message) => String(message.chat_id) === String(chatId));
  }

  /** Resolves once `count` messages were sent to the chat (or any chat), with them. */
  async waitForSent(count: number, chatId?: number | string, timeoutMs = 15_000): Promise<SentMessage[]> {
    const pick = () => (chatId === undefined ? this.sent : this.sentTo(chatId));
    if (pick().length >= count) return pick();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.sentListeners.delete(listener);
        reject(
          new Error(
            `expected ${count} sent message(s)${chatId === undefined ? "" : ` to ${chatId}`}, saw ${pick().length}`,
          ),
        );
      }, timeoutMs);
      const listener = () => {
        if (pick().length < count) return;
        clearTimeout(timer);
        this.sentListeners.delete(listener);
        resolve(pick());
      };
      this.sentListeners.add(listener);
    });
  }

  /** Updates not yet confirmed by a getUpdates offset. */
  get pending(): readonly FakeUpdate[] {
    return this.updates;
  }

  async close(): Promise<void> {
    this.poll?.respond([]);
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private sentAsMessage(messageId: number): Record<string, unknown> {
    const sent = this.sent.find((message) => message.message_id === messageId);
    return {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      from: { ...this.bot, is_bot: true },
      chat: { id: sent?.chat_id ?? 0, type: "private" },
      text: sent?.text ?? "",
    };
  }

  private wakePoller(): void {
    const poll = this.poll;
    if (!poll) return;
    const ready = this.available(poll.params);
    if (ready.length > 0) poll.respond(ready);
  }

  private available(params: Record<string, unknown>): FakeUpdate[] {
    const limit = Math.max(1, Math.min(100, Number(params.limit ?? 100) || 100));
    return this.updates.slice(0, limit);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://fake");
    const filePrefix = `/file/bot${this.token}/`;
    if (url.pathname.startsWith(filePrefix)) {
      const path = decodeURIComponent(url.pathname.slice(filePrefix.length));
      const file = [...this.files.values()].find((candidate) => candidate.file_path === path);
      if (!file) return void response.writeHead(404).end("Not Found");
      response.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": file.bytes.length,
      });
      response.end(file.bytes);
      return;
    }
    // The control routes let another process (`npm run chat`) act as a Telegram user.
    if (url.pathname === "/_control/push" && request.method === "POST") {
      const update = await readParams(request);
      return this.answer(response, this.push(update));
    }
    if (url.pathname === "/_control/sent") {
      const after = Number(url.searchParams.get("after") ?? 0);
      const chat = url.searchParams.get("chat_id");
      const sent = (chat === null ? this.sent : this.sentTo(chat)).filter(
        (message) => message.message_id > after,
      );
      return this.answer(response, sent);
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return void response.writeHead(404).end("Not Found");
    if (match[1] !== this.token) return this.answerError(response, 401, "Unauthorized");
    const method = match[2] ?? "";
    const params = { ...Object.fromEntries(url.searchParams), ...(await readParams(request)) };
    const call = { method, params };
    this.calls.push(call);
    for (const rule of this.interceptors) {
      const injected = rule(call);
      if (!injected) continue;
      if ("hang" in injected) {
        this.hanging.add(response);
        response.on("close", () => this.hanging.delete(response));
        return;
      }
      return this.answerError(
        response,
        injected.status,
        injected.description ?? "Injected failure",
        injected.retryAfter === undefined ? undefined : { retry_after: injected.retryAfter },
      );
    }
    switch (method) {
      case "getMe":
        return this.answer(response, { ...this.bot, is_bot: true, can_join_groups: true });
      case "deleteWebhook":
        this.webhook = undefined;
        return this.answer(response, true);
      case "setWebhook": {
        const secret = params.secret_token;
        this.webhook = {
          url: String(params.url ?? ""),
          ...(typeof secret === "string" ? { secretToken: secret } : {}),
        };
        return this.answer(response, true);
      }
      case "getWebhookInfo":
        return this.answer(response, {
          url: this.webhook?.url ?? "",
          pending_update_count: this.updates.length,
        });
      case "getUpdates":
        return this.getUpdates(params, response);
      case "sendMessage":
        return this.sendMessage(params, response);
      case "getFile": {
        const file = this.files.get(String(params.file_id ?? ""));
        if (!file) return this.answerError(response, 400, "Bad Request: invalid file_id");
        if (file.file_size > BOT_API_DOWNLOAD_LIMIT)
          return this.answerError(response, 400, "Bad Request: file is too big");
        return this.answer(response, {
          file_id: file.file_id,
          file_unique_id: file.file_unique_id,
          file_size: file.file_size,
          file_path: file.file_path,
        });
      }
      default:
        return this.answerError(response, 404, "Not Found: method not found");
    }
  }

  private getUpdates(params: Record<string, unknown>, response: ServerResponse): void {
    if (this.webhook) {
      this.answerError(response, 409, "Conflict: can't use getUpdates method while webhook is active");
      return;
    }
    if (this.poll) {
      this.answerError(
        response,
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      );
      return;
    }
    // An offset confirms every update below it: Telegram forgets them.
    const offset = Number(params.offset ?? 0);
    if (offset > 0) {
      while ((this.updates[0]?.update_id ?? Number.POSITIVE_INFINITY) < offset) this.updates.shift();
    }
    const ready = this.available(params);
    const timeoutSeconds = Number(params.timeout ?? 0);
    if (ready.length > 0 || !(timeoutSeconds > 0)) {
      this.answer(response, ready);
      return;
    }
    let done = false;
    const finish = (updates: FakeUpdate[]) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (this.poll === poll) this.poll = undefined;
      if (!response.destroyed) this.answer(response, updates);
    };
    const poll: Poll = { params, respond: finish };
    const timer = setTimeout(() => finish([]), timeoutSeconds * 1000);
    response.on("close", () => finish([]));
    this.poll = poll;
  }

  private sendMessage(params: Record<string, unknown>, response: ServerResponse): void {
    const text = typeof params.text === "string" ? params.text : "";
    const chatId = params.chat_id;
    if (chatId === undefined || chatId === "") {
      this.answerError(response, 400, "Bad Request: chat_id is empty");
      return;
    }
    if (text.trim() === "") {
      this.answerError(response, 400, "Bad Request: message text is empty");
      return;
    }
    if (text.length > 4096) {
      this.answerError(response, 400, "Bad Request: message is too long");
      return;
    }
    const message: SentMessage = {
      message_id: this.nextMessageId++,
      chat_id: chatId as number | string,
      text,
    };
    if (params.reply_to_message_id !== undefined)
      message.reply_to_message_id = Number(params.reply_to_message_id);
    if (params.reply_markup !== undefined) message.reply_markup = params.reply_markup;
    if (typeof params.parse_mode === "string") message.parse_mode = params.parse_mode;
    this.sent.push(message);
    for (const listener of [...this.sentListeners]) listener();
    this.answer(response, {
      message_id: message.message_id,
      date: Math.floor(Date.now() / 1000),
      from: { ...this.bot, is_bot: true },
      chat: { id: chatId, type: "private" },
      text,
    });
  }

  private answer(response: ServerResponse, result: unknown): void {
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, result }));
  }

  private answerError(
    response: ServerResponse,
    status: number,
    description: string,
    parameters?: Record<string, unknown>,
  ): void {
    const body: Record<string, unknown> = { ok: false, error_code: status, description };
    if (parameters) body.parameters = parameters;
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  }
}

/** Bot API parameters from a JSON or url-encoded body (reply_markup arrives as JSON text in forms). */
async function readParams(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  if (body === "") return {};
  const type = request.headers["content-type"] ?? "";
  if (type.includes("application/json")) {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  }
  if (type.includes("application/x-www-form-urlencoded"))
    return Object.fromEntries(new URLSearchParams(body));
  return {};
}
