// Command engine throughput under a load shaped like production's: 1,200 registered senders
// in 48 districts of 8 provinces, a mix of commands at realistic shares (cases, outcomes,
// slaughter, vaccination, lab submissions, queries, format errors, unregistered numbers,
// repeats inside the duplicate window), each message one engine call counted in round
// trips; beside it, the bare inserts of the rows the same messages write, on the same
// PostgreSQL in the same run.
// Run: npm run bench:commands [-- --messages 6000 --concurrency 8 --seed 1 --latency-ms 1 --database-url postgres://…]
import { readdir, readFile } from "node:fs/promises";
import { type AddressInfo, createConnection, createServer, type Server } from "node:net";
import { parseArgs } from "node:util";
import { handleInboundMessage, type InboundResult } from "@isikhnas/domain";
import { countRoundTrips, createDatabase, type Database } from "@isikhnas/platform";
import { random as seededRandom } from "../fuzz/mutate.js";
import { against, type BenchFigure, figure, recordFigures } from "./figures.js";
import { inParallel } from "./pool.js";
import { startSeededDatabase } from "./stack.js";

const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "6000" },
    concurrency: { type: "string", default: "8" },
    seed: { type: "string", default: "1" },
    /** An existing server to use instead of the embedded one. */
    "database-url": { type: "string" },
    /**
     * Delay each way between this process and PostgreSQL, as a network would (RDS in the same
     * zone: a few tenths of a millisecond; Node's timers wait at least 1), through a proxy;
     * both sides of the comparison pay it.
     */
    "latency-ms": { type: "string", default: "0" },
  },
});
const messages = Number(args.messages);
const latencyMs = Number(args["latency-ms"]);
const concurrency = Number(args.concurrency);

// The country: provinces 51–58, six districts each, two sub-districts of five villages each.
const PROVINCES = [51, 52, 53, 54, 55, 56, 57, 58].map(String);
const DISTRICTS_PER_PROVINCE = 6;
const SUB_DISTRICTS_PER_DISTRICT = 2;
const VILLAGES_PER_SUB_DISTRICT = 5;
const REPORTERS_PER_VILLAGE = 2;

interface Village {
  code: string;
  subDistrict: string;
  district: string;
  province: string;
}
interface Sender {
  phone: string;
  village: Village;
}

const villages: Village[] = PROVINCES.flatMap((province) =>
  range(DISTRICTS_PER_PROVINCE).flatMap((d) => {
    const district = `${province}${pad(d + 1)}`;
    return range(SUB_DISTRICTS_PER_DISTRICT).flatMap((s) => {
      const subDistrict = `${district}${pad(s + 1)}`;
      return range(VILLAGES_PER_SUB_DISTRICT).map((v) => ({
        code: `${subDistrict}${pad(v + 1)}`,
        subDistrict,
        district,
        province,
      }));
    });
  }),
);
let phoneSerial = 0;
const nextPhone = () => `62812${String(++phoneSerial).padStart(7, "0")}`;
const reporters: Sender[] = villages.flatMap((village) =>
  range(REPORTERS_PER_VILLAGE).map(() => ({ phone: nextPhone(), village })),
);
const paravets: Sender[] = villages
  .filter((village) => village.code.endsWith("01"))
  .map((village) => ({ phone: nextPhone(), village }));
const abattoirReporters: Sender[] = villages
  .filter((village) => village.code.endsWith("0101"))
  .map((village) => ({ phone: nextPhone(), village }));

/** Everyone else registered: the officers alerted, the labs' staff. */
async function seedCountry(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    const places = [
      ...PROVINCES,
      ...new Set(villages.map((v) => v.district)),
      ...new Set(villages.map((v) => v.subDistrict)),
      ...villages.map((v) => v.code),
    ];
    await tx.query(
      `INSERT INTO locations (code, parent_code, name)
       SELECT code, nullif(left(code, length(code) - 2), ''), 'Tempat ' || code FROM unnest($1::text[]) AS code
       ORDER BY length(code), code`,
      [places],
    );
    const districts = [...new Set(villages.map((v) => v.district))];
    await tx.query(
      `INSERT INTO infrastructure (kind, code, name, location_id)
       SELECT 'slaughterhouse', 'RPH' || d, 'RPH ' || d, l.id FROM unnest($1::text[]) AS d
       JOIN locations l ON l.code = d || '0101'
       UNION ALL
       SELECT 'lab', p || '0101', 'Lab ' || p, l.id FROM unnest($2::text[]) AS p
       JOIN locations l ON l.code = p || '010101'`,
      [districts, PROVINCES],
    );
    // One user a row: type, phone, home village, areas, workplace; officers get e-mail too.
    const users: { type: string; phone: string; home: string; areas: string[]; workplace: string | null }[] =
      [
        ...reporters.map((s) => ({
          type: "village_reporter",
          phone: s.phone,
          home: s.village.code,
          areas: [s.village.code],
          workplace: null,
        })),
        ...paravets.map((s) => ({
          type: "paravet",
          phone: s.phone,
          home: s.village.code,
          areas: [s.village.subDistrict],
          workplace: null,
        })),
        ...abattoirReporters.map((s) => ({
          type: "abattoir_reporter",
          phone: s.phone,
          home: s.village.code,
          areas: [s.village.district],
          workplace: `RPH${s.village.district}`,
        })),
        ...districts.flatMap((d) =>
          ["district_vet", "district_coordinator"].map((type) => ({
            type,
            phone: nextPhone(),
            home: `${d}0101`,
            areas: [d],
            workplace: null,
          })),
        ),
        ...PROVINCES.flatMap((p) => [
          {
            type: "provincial_coordinator",
            phone: nextPhone(),
            home: `${p}010101`,
            areas: [p],
            workplace: null,
          },
          { type: "lab_staff", phone: nextPhone(), home: `${p}010101`, areas: [p], workplace: `${p}0101` },
        ]),
      ];
    await tx.query(
      `WITH u AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
           AS u (type, phone, home, areas, workplace)
       ), inserted AS (
         INSERT INTO users (name, user_type, home_location_id, language, workplace_id)
         SELECT 'Pengguna ' || u.phone, u.type, l.id, 'id', (SELECT id FROM infrastructure WHERE code = u.workplace)
         FROM u JOIN locations l ON l.code = u.home
         RETURNING id, name
       ), joined AS (
         SELECT inserted.id, u.* FROM inserted JOIN u ON inserted.name = 'Pengguna ' || u.phone
       ), contacts AS (
         INSERT INTO contacts (user_id, channel, address, verified)
         SELECT id, 'sms', phone, true FROM joined
         UNION ALL
         SELECT id, 'email', phone || '@bench.isikhnas.example.org', true FROM joined
         WHERE type IN ('district_coordinator', 'provincial_coordinator')
       )
       INSERT INTO user_areas (user_id, location_id)
       SELECT j.id, l.id FROM joined j CROSS JOIN LATERAL unnest(string_to_array(j.areas, ',')) AS area
       JOIN locations l ON l.code = area`,
      [
        users.map((u) => u.type),
        users.map((u) => u.phone),
        users.map((u) => u.home),
        users.map((u) => u.areas.join(",")),
        users.map((u) => u.workplace),
      ],
    );
    // Each village reporter's supervisor is the paravet of their sub-district.
    await tx.query(
      `UPDATE users r SET supervisor_id = p.id
       FROM users p JOIN user_areas a ON a.user_id = p.id JOIN locations l ON l.id = a.location_id
       WHERE p.user_type = 'paravet' AND r.user_type = 'village_reporter'
         AND (SELECT code FROM locations WHERE id = r.home_location_id) LIKE l.code || '%'`,
    );
    return users.length;
  });
}

// The mix, in shares of the messages: cases about half, a tenth format errors and strangers.
const MIX = [
  ["U", 0.38],
  ["P", 0.1],
  ["PK", 0.1],
  ["RP", 0.05],
  ["VAK", 0.05],
  ["LAB", 0.04],
  ["LAPD", 0.06],
  ["KODE", 0.05],
  ["format error", 0.06],
  ["unregistered", 0.04],
  ["repeat", 0.03],
  ["?", 0.04],
] as const;
type Kind = (typeof MIX)[number][0];

const SIGNS = ["MC", "DM", "BT", "LM", "NM", "MC,DM", "BT,SN", "DM,LM"];
const SPECIES = ["SP", "KB", "AY", "BB", "KR", "DB"];
const PRIORITY = ["AI AY", "RB AJ", "AI IT", "RB AJ"];
const FORMAT_ERRORS = ["U mc sp", "P ai", "U mc dm sp 4", "VAK", "PK abc SB", "halo pak", "U mc,dm sp empat"];
const KODE = ["KODE SP", "KODE", "KODE TAN", "KODE SIN", "KODE PK"];

interface Message {
  kind: Kind;
  sender: string;
  text: string;
  receivedAt: Date;
  externalId: string;
  /** The home village's code, for the bare inserts of a case. */
  village: string;
}

/** Case ids each reporter created in the warm-up, for PK and LAB. */
const casesOf = new Map<string, number[]>();
const casesInSubDistrict = new Map<string, number[]>();

function generate(count: number, day: number, runId: string, seed: number): Message[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const base = Date.parse("2025-06-02T00:00:00Z") + day * 86_400_000;
  const strangers = range(300).map((i) => `62819${String(i).padStart(7, "0")}`);
  const out: Message[] = [];
  for (let index = 0; index < count; index++) {
    let roll = random();
    let kind: Kind = "U";
    for (const [each, share] of MIX) {
      if (roll < share) {
        kind = each;
        break;
      }
      roll -= share;
    }
    const reporter = pick(reporters);
    const n = 1 + Math.floor(random() * 40);
    const message = (sender: Sender, text: string): Message => ({
      kind,
      sender: sender.phone,
      text,
      receivedAt: new Date(base + index * 1000),
      externalId: `${runId}-${index}`,
      village: sender.village.code,
    });
    const earlier =
      out.length > 0 ? out[Math.max(0, out.length - 1 - Math.floor(random() * 300))] : undefined;
    switch (kind) {
      case "U":
        out.push(message(reporter, `U ${pick(SIGNS)} ${pick(SPECIES)} ${n}`));
        break;
      case "P":
        out.push(message(reporter, `P ${pick(PRIORITY)} ${n}`));
        break;
      case "PK": {
        const own = casesOf.get(reporter.phone) ?? [];
        out.push(message(reporter, `PK ${pick(own.length > 0 ? own : [1000])} ${pick(["SB", "MS", "MT"])}`));
        break;
      }
      case "RP": {
        const abattoir = pick(abattoirReporters);
        out.push(message(abattoir, `RP RPH${abattoir.village.district} sp ${n} 2 kb 1 ${n % 5}`));
        break;
      }
      case "VAK": {
        const paravet = pick(paravets);
        const village = `${paravet.village.subDistrict}0${1 + Math.floor(random() * VILLAGES_PER_SUB_DISTRICT)}`;
        out.push(message(paravet, `VAK 101 ${village} sp ${n} ${n % 3} kb ${1 + (n % 7)}`));
        break;
      }
      case "LAB": {
        const paravet = pick(paravets);
        const cases = casesInSubDistrict.get(paravet.village.subDistrict) ?? [1000];
        out.push(
          message(paravet, `LAB ${pick(cases)} FES SG PAR ${1 + (n % 4)} ${paravet.village.province}0101`),
        );
        break;
      }
      case "LAPD":
        out.push(message(reporter, `LAPD ${reporter.village.code}`));
        break;
      case "KODE":
        out.push(message(reporter, pick(KODE)));
        break;
      case "?":
        out.push(message(reporter, "?"));
        break;
      case "format error":
        out.push(message(reporter, pick(FORMAT_ERRORS)));
        break;
      case "unregistered":
        out.push({ ...message(reporter, `U mc sp ${n}`), sender: pick(strangers) });
        break;
      case "repeat":
        // The same text from the same sender within the duplicate window: one report.
        if (earlier && ["U", "P", "PK", "RP", "VAK", "LAB"].includes(earlier.kind)) {
          out.push({
            ...earlier,
            kind,
            receivedAt: new Date(base + index * 1000),
            externalId: `${runId}-${index}`,
          });
        } else {
          out.push(message(reporter, `U ${pick(SIGNS)} ${pick(SPECIES)} ${n}`));
          (out.at(-1) as Message).kind = "U";
        }
        break;
    }
  }
  return out;
}

interface Measured {
  kind: Kind;
  ms: number;
  roundTrips: number;
  statements: number;
  result: InboundResult;
}

async function runEngine(db: Database, batch: Message[]): Promise<{ seconds: number; measured: Measured[] }> {
  const measured: Measured[] = new Array(batch.length);
  const seconds = await inParallel(concurrency, batch.length, async (index) => {
    const message = batch[index] as Message;
    const counter = { count: 0, statements: 0 };
    const started = performance.now();
    const result = await handleInboundMessage(countRoundTrips(db, counter), {
      channel: "sms",
      sender: message.sender,
      text: message.text,
      receivedAt: message.receivedAt,
      externalId: message.externalId,
      environment: "live",
    });
    measured[index] = {
      kind: message.kind,
      ms: performance.now() - started,
      roundTrips: counter.count,
      statements: counter.statements,
      result,
    };
  });
  return { seconds, measured };
}

/**
 * The rows the same messages wrote, inserted directly: the inbound row, for a case its
 * case, signs and first event, the reply and as many alerts as the engine queued, and the
 * inbound row's verdict. The floor under the engine's cost for this mix.
 */
async function bareInserts(
  db: Database,
  batch: Message[],
  measured: Measured[],
  runId: string,
): Promise<number> {
  const ids = await db.query<{ code: string; id: number }>(
    "SELECT code, id FROM locations WHERE code = ANY($1::text[])",
    [villages.map((v) => v.code)],
  );
  const villageIds = new Map(ids.rows.map((row) => [row.code, row.id]));
  const users = await db.query<{ address: string; user_id: number }>(
    "SELECT address, user_id FROM contacts WHERE channel = 'sms'",
  );
  const userIds = new Map(users.rows.map((row) => [row.address, row.user_id]));
  return inParallel(concurrency, batch.length, async (index) => {
    const message = batch[index] as Message;
    const alerts = measured[index]?.result.alerts.length ?? 0;
    await db.transaction(async (tx) => {
      const inbound = await tx.query<{ id: number }>(
        `INSERT INTO inbound_messages (channel, sender, text, normalised_text, received_at, external_id)
         VALUES ('sms', $1, $2, $2, $3, $4) RETURNING id`,
        [message.sender, message.text, message.receivedAt, `bare-${runId}-${index}`],
      );
      const inboundId = inbound.rows[0]?.id;
      let caseId: number | null = null;
      if (message.kind === "U" || message.kind === "P") {
        const created = await tx.query<{ id: number }>(
          `WITH new_case AS (
             INSERT INTO cases (kind, reporter_id, location_id, species_code, animal_count, reported_at, inbound_message_id)
             VALUES ('U', $3, $1, 'SP', 4, now(), $2) RETURNING id
           ), signs AS (
             INSERT INTO case_signs (case_id, sign_code) SELECT id, 'MC' FROM new_case
           ), reported AS (
             INSERT INTO case_events (case_id, kind, user_id, inbound_message_id, occurred_at)
             SELECT id, 'reported', $3, $2, now() FROM new_case
           )
           SELECT id FROM new_case`,
          [villageIds.get(message.village), inboundId, userIds.get(message.sender)],
        );
        caseId = created.rows[0]?.id ?? null;
      }
      await tx.query(
        `INSERT INTO outbound_messages (channel, address, body, kind, inbound_message_id)
         SELECT 'sms', $1, CASE WHEN n = 0 THEN 'reply' ELSE 'alert' END, CASE WHEN n = 0 THEN 'reply' ELSE 'alert' END, $2
         FROM generate_series(0, $3::int) AS n`,
        [message.sender, inboundId, alerts],
      );
      await tx.query("UPDATE inbound_messages SET status = 'accepted', case_id = $2 WHERE id = $1", [
        inboundId,
        caseId,
      ]);
    });
  });
}

/**
 * CPU seconds spent so far by this process and by the PostgreSQL server's processes (read
 * from /proc: the postmaster's children; null for a server on another machine). On a shared
 * machine the wall-clock rates follow the others' load; the CPU a message costs much less.
 */
async function cpuSeconds(postmaster: number | null): Promise<{ node: number; postgres: number | null }> {
  const usage = process.cpuUsage();
  const node = (usage.user + usage.system) / 1e6;
  if (postmaster === null) return { node, postgres: null };
  let ticks = 0;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // Fields after the command's closing parenthesis: state, ppid, … utime (14), stime (15).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const pid = Number(entry);
    if (pid !== postmaster && Number(fields[1]) !== postmaster) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return { node, postgres: ticks / 100 };
}

/** The postmaster's pid when the server runs on this machine (a backend's parent). */
async function findPostmaster(db: Database): Promise<number | null> {
  const { rows } = await db.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  const stat = await readFile(`/proc/${rows[0]?.pid}/stat`, "utf8").catch(() => null);
  if (stat === null) return null;
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

interface Cpu {
  node: number;
  postgres: number;
}

/** Runs `work` and adds the CPU it cost to `into`. */
async function measuringCpu<T>(postmaster: number | null, into: Cpu, work: () => Promise<T>): Promise<T> {
  const before = await cpuSeconds(postmaster);
  const result = await work();
  const after = await cpuSeconds(postmaster);
  into.node += after.node - before.node;
  into.postgres += (after.postgres ?? 0) - (before.postgres ?? 0);
  return result;
}

/**
 * A TCP proxy in front of `url` that holds every chunk `delayMs` before passing it on, in
 * order, each way; the URL to reach the server through it.
 */
async function withLatency(url: string, delayMs: number): Promise<{ url: string; server: Server }> {
  const target = new URL(url);
  const later = (send: () => void) => setTimeout(send, delayMs);
  const server = createServer((client) => {
    const upstream = createConnection({
      host: target.hostname,
      port: Number(target.port || 5432),
      noDelay: true,
    });
    // Without this, Nagle's algorithm would hold small writes for the peer's delayed ACK.
    client.setNoDelay(true);
    client.on("data", (chunk) => later(() => upstream.write(chunk)));
    upstream.on("data", (chunk) => later(() => client.write(chunk)));
    client.on("close", () => later(() => upstream.destroy()));
    upstream.on("close", () => later(() => client.destroy()));
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const proxied = new URL(url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String((server.address() as AddressInfo).port);
  return { url: proxied.toString(), server };
}

const seeded = await startSeededDatabase("bench_commands", args["database-url"]);
const proxy = latencyMs > 0 ? await withLatency(seeded.databaseUrl, latencyMs) : null;
const db = createDatabase({
  DATABASE_URL: proxy?.url ?? seeded.databaseUrl,
  DB_POOL_MAX: concurrency + 2,
  DB_STATEMENT_TIMEOUT_MS: 30_000,
});
try {
  const registered = await seedCountry(db);
  // Warm-up: every reporter reports a case (their PK and the paravets' LAB refer to these),
  // which also fills the engine's reference copy and PostgreSQL's caches.
  const warmup = reporters.map((reporter, index) => ({
    kind: "U" as const,
    sender: reporter.phone,
    text: `U ${SIGNS[index % SIGNS.length]} ${SPECIES[index % SPECIES.length]} ${1 + (index % 30)}`,
    receivedAt: new Date(Date.parse("2025-06-01T00:00:00Z") + index * 1000),
    externalId: `warmup-${index}`,
    village: reporter.village.code,
  }));
  const warmed = await runEngine(db, warmup);
  warmed.measured.forEach((each, index) => {
    const caseId = /(?:Case ID|ID Kasus) (\d+)/.exec(each.result.reply?.body ?? "")?.[1];
    const reporter = reporters[index] as Sender;
    if (!caseId) throw new Error(`warm-up case not created: ${each.result.reply?.body}`);
    casesOf.set(reporter.phone, [Number(caseId)]);
    const inSub = casesInSubDistrict.get(reporter.village.subDistrict) ?? [];
    inSub.push(Number(caseId));
    casesInSubDistrict.set(reporter.village.subDistrict, inSub);
  });

  // Statistics of the seeded country and the warm-up's messages, as autovacuum keeps them in
  // production: without them the planner takes the freshly filled tables for empty (or, for
  // the message tables, as they were when last analysed) and plans the run's statements so.
  await db.query("ANALYZE");

  const batch = generate(messages, 2, "run", Number(args.seed));
  const postmaster = await findPostmaster(db);
  const engineCpu: Cpu = { node: 0, postgres: 0 };
  const bareCpu: Cpu = { node: 0, postgres: 0 };
  // Engine and bare inserts take turns, a quarter of the batch at a time, so a change in
  // the machine's load (it is shared) weighs on both alike.
  const engine: { seconds: number; measured: Measured[] } = { seconds: 0, measured: [] };
  let bareSeconds = 0;
  const turn = Math.ceil(messages / 4);
  for (let start = 0; start < messages; start += turn) {
    const slice = batch.slice(start, start + turn);
    const ran = await measuringCpu(postmaster, engineCpu, () => runEngine(db, slice));
    engine.seconds += ran.seconds;
    engine.measured.push(...ran.measured);
    bareSeconds += await measuringCpu(postmaster, bareCpu, () =>
      bareInserts(db, slice, ran.measured, `run-${start}`),
    );
  }

  const verdicts = await db.query<{ command_code: string | null; status: string; n: number }>(
    `SELECT command_code, status, count(*)::int AS n FROM inbound_messages
     WHERE external_id LIKE 'run-%'
     GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const reasons = await db.query<{ command_code: string | null; reason: string; n: number }>(
    `SELECT command_code, regexp_replace(error_reason, '[0-9]+', 'N', 'g') AS reason, count(*)::int AS n
     FROM inbound_messages
     WHERE external_id LIKE 'run-%' AND status = 'rejected'
     GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 12`,
  );
  const engineRate = messages / engine.seconds;
  const bareRate = messages / bareSeconds;
  const senders = new Set(batch.map((m) => m.sender)).size;
  const districts = new Set(batch.map((m) => m.village.slice(0, 4))).size;
  console.log(
    `command engine: ${messages} messages from ${senders} numbers (${registered} registered users, the rest unknown) in ${districts} districts, concurrency ${concurrency}${latencyMs > 0 ? `, ${latencyMs} ms each way to PostgreSQL` : ""}`,
  );
  console.log(
    `  engine (parse + checks + one transaction, mixed commands): ${Math.round(engineRate)} messages/s`,
  );
  console.log(
    `  bare inserts of the rows the same messages wrote:           ${Math.round(bareRate)} messages/s`,
  );
  console.log(
    `  engine / bare: ${(engineRate / bareRate).toFixed(2)} (goal ≥ 0.70); engine ${Math.round(engineRate)} msg/s (goal ≥ 1,000)`,
  );
  const perMessage = (cpu: Cpu) =>
    postmaster === null
      ? `node ${((cpu.node * 1000) / messages).toFixed(2)} ms`
      : `node ${((cpu.node * 1000) / messages).toFixed(2)} + PostgreSQL ${((cpu.postgres * 1000) / messages).toFixed(2)} = ${(((cpu.node + cpu.postgres) * 1000) / messages).toFixed(2)} ms`;
  console.log(`  CPU a message, engine: ${perMessage(engineCpu)}`);
  console.log(`  CPU a message, bare:   ${perMessage(bareCpu)}`);
  console.log("");
  console.log("  command        share   msg/s*   mean ms   p95 ms   round trips (mean / max)   statements");
  const figures: BenchFigure[] = [
    against("commands.engine", engineRate, "msg/s", "bare inserts", bareRate),
    figure("commands.bare_inserts", bareRate, "msg/s"),
    ...(postmaster === null
      ? []
      : [
          against(
            "commands.cpu_ms_per_message",
            ((engineCpu.node + engineCpu.postgres) * 1000) / messages,
            "ms",
            "bare inserts",
            ((bareCpu.node + bareCpu.postgres) * 1000) / messages,
          ),
        ]),
  ];
  for (const [kind] of MIX) {
    const rows = engine.measured.filter((each) => each.kind === kind);
    if (rows.length === 0) continue;
    const ms = rows.map((each) => each.ms).sort((a, b) => a - b);
    const mean = ms.reduce((sum, each) => sum + each, 0) / ms.length;
    const p95 = ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.95))] ?? 0;
    const trips = rows.map((each) => each.roundTrips);
    const meanTrips = trips.reduce((sum, each) => sum + each, 0) / trips.length;
    const meanStatements = rows.reduce((sum, each) => sum + each.statements, 0) / rows.length;
    // What this command alone would reach at this concurrency with these latencies.
    const rate = (concurrency * 1000) / mean;
    console.log(
      `  ${kind.padEnd(14)} ${`${((rows.length / messages) * 100).toFixed(1)} %`.padStart(6)}  ${String(Math.round(rate)).padStart(7)}  ${mean.toFixed(2).padStart(8)}  ${p95.toFixed(2).padStart(7)}   ${`${meanTrips.toFixed(2)} / ${Math.max(...trips)}`.padEnd(24)} ${meanStatements.toFixed(2)}`,
    );
    const name = kind.replace(/[^A-Za-z?]+/g, "_").replace("?", "help");
    figures.push(figure(`commands.rate.${name}`, rate, "msg/s"));
    figures.push(figure(`commands.round_trips.${name}`, meanTrips, "round trips"));
  }
  console.log("  * concurrency / mean latency: the rate of that command alone under the same load");
  console.log(
    "  round trips: the answers waited for (BEGIN and COMMIT travel with the first and last statement)",
  );
  console.log("");
  console.log(
    `  outcomes: ${verdicts.rows.map((row) => `${row.command_code ?? "-"} ${row.status} ${row.n}`).join("; ")}`,
  );
  console.log(
    `  rejections: ${reasons.rows.map((row) => `${row.command_code ?? "-"} ${row.reason} ${row.n}`).join("; ")}`,
  );
  recordFigures(figures);
} finally {
  await db.close();
  proxy?.server.close();
  await seeded.stop();
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, index) => index);
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
