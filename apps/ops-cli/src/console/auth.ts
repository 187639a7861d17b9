// The console's login: one operator password, sessions held in memory behind a signed
// cookie, a CSRF token per session (and one per login form), and a cap on failed logins.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

function sign(secret: Buffer, purpose: string, value: string): string {
  return createHmac("sha256", secret).update(`${purpose}:${value}`).digest("base64url");
}

function sameText(a: string, b: string): boolean {
  // Digests first: timingSafeEqual needs equal lengths, and a length must not leak either.
  const left = createHash("sha256").update(a).digest();
  const right = createHash("sha256").update(b).digest();
  return timingSafeEqual(left, right);
}

export function passwordMatches(expected: string, given: string): boolean {
  return sameText(expected, given);
}

export interface SessionsOptions {
  secret: Buffer;
  ttlMs: number;
  now?: () => number;
}

/**
 * Sessions live in this process: a restart or a logout ends them. The cookie carries the
 * session id and its signature, so a forged or guessed id is refused before any lookup.
 */
export class Sessions {
  private readonly sessions = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: SessionsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A new session; returns the cookie value. */
  open(): string {
    const now = this.now();
    // Sessions nobody came back to are dropped here, so the map stays as small as the team.
    for (const [id, expires] of this.sessions) if (expires <= now) this.sessions.delete(id);
    const id = randomBytes(24).toString("base64url");
    this.sessions.set(id, now + this.options.ttlMs);
    return `${id}.${sign(this.options.secret, "session", id)}`;
  }

  /** The session id a cookie value names, if it is signed by us, known and not expired. */
  verify(cookie: string | undefined): string | undefined {
    if (!cookie) return undefined;
    const [id, signature, ...rest] = cookie.split(".");
    if (!id || !signature || rest.length > 0) return undefined;
    if (!sameText(signature, sign(this.options.secret, "session", id))) return undefined;
    const expires = this.sessions.get(id);
    if (expires === undefined) return undefined;
    if (expires <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return id;
  }

  close(id: string): void {
    this.sessions.delete(id);
  }

  /** The token every form of this session carries; a POST without it is refused. */
  csrfToken(sessionId: string): string {
    return sign(this.options.secret, "csrf", sessionId);
  }

  csrfValid(sessionId: string, token: string | undefined): boolean {
    return token !== undefined && sameText(token, this.csrfToken(sessionId));
  }

  /**
   * The login form has no session yet: its token is bound to a random value in a cookie
   * of its own (double submit, signed), so another site cannot post a login for us.
   */
  loginNonce(): string {
    return randomBytes(18).toString("base64url");
  }

  loginToken(nonce: string): string {
    return sign(this.options.secret, "login", nonce);
  }

  loginTokenValid(nonce: string | undefined, token: string | undefined): boolean {
    return nonce !== undefined && token !== undefined && sameText(token, this.loginToken(nonce));
  }
}

export interface LoginLimiterOptions {
  /** Failed logins allowed per window and client address. */
  maxFailures: number;
  windowMs: number;
  now?: () => number;
}

/** Counts failed logins per client address in a fixed window; past the cap every attempt waits. */
export class LoginLimiter {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: LoginLimiterOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds until this client may try again, or 0 when it may try now. */
  retryAfterMs(client: string): number {
    const entry = this.current(client);
    if (!entry || entry.count < this.options.maxFailures) return 0;
    return entry.resetAt - this.now();
  }

  fail(client: string): void {
    const entry = this.current(client);
    if (entry) entry.count += 1;
    else this.failures.set(client, { count: 1, resetAt: this.now() + this.options.windowMs });
  }

  private current(client: string) {
    const entry = this.failures.get(client);
    if (entry && entry.resetAt <= this.now()) {
      this.failures.delete(client);
      return undefined;
    }
    return entry;
  }
}
