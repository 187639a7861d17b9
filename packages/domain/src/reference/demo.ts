// Demo data for the local stack and tests: a small location tree in two provinces,
// infrastructure, programs, and one user of each type with SMS, e-mail and IM contacts.
import type { Database, Queryable } from "@isikhnas/platform";
import type { Language } from "../messages/catalog.js";

interface DemoLocation {
  code: string;
  name: string;
  latitude?: number;
  longitude?: number;
}

export const DEMO_LOCATIONS: DemoLocation[] = [
  { code: "72", name: "Sulawesi Tengah" },
  { code: "7201", name: "Banggai" },
  { code: "720101", name: "Luwuk" },
  { code: "72010101", name: "Baru", latitude: -0.9516, longitude: 122.7875 },
  { code: "7206", name: "Morowali" },
  { code: "720602", name: "Bungku Tengah" },
  { code: "72060201", name: "Bente", latitude: -2.5486, longitude: 121.9612 },
  { code: "72060202", name: "Lemo", latitude: -2.5601, longitude: 121.9704 },
  { code: "72060203", name: "Marsaoleh" },
  { code: "720603", name: "Bumi Raya" },
  { code: "72060301", name: "Samarenda" },
  { code: "73", name: "Sulawesi Selatan" },
  { code: "7308", name: "Bone" },
  { code: "730801", name: "Tanete Riattang" },
  { code: "73080101", name: "Watampone", latitude: -4.5386, longitude: 120.3279 },
  { code: "73080102", name: "Manurunge" },
  { code: "7371", name: "Kota Makassar" },
  { code: "737101", name: "Mariso" },
  { code: "73710101", name: "Lette", latitude: -5.1565, longitude: 119.4069 },
];

export const DEMO_INFRASTRUCTURE = [
  { kind: "lab", code: "730801", name: "Laboratorium Keswan Bone", location: "73080101" },
  { kind: "lab", code: "737101", name: "Balai Besar Veteriner Makassar", location: "73710101" },
  { kind: "slaughterhouse", code: "RPH7206", name: "RPH Bungku", location: "72060202" },
  { kind: "slaughterhouse", code: "RPH7308", name: "RPH Watampone", location: "73080101" },
  { kind: "office", code: "DKH7206", name: "Dinas Peternakan Morowali", location: "72060202" },
] as const;

export const DEMO_PROGRAMS = [
  { code: "101", kind: "vaccination", name: "Vaksinasi SE 2025" },
  { code: "102", kind: "vaccination", name: "Vaksinasi rabies 2025" },
  { code: "201", kind: "surveillance", name: "Surveilans AI 2025" },
] as const;

export interface DemoUser {
  name: string;
  userType: string;
  phone: string;
  email: string;
  imId: string;
  language: Language;
  home: string;
  areas: string[];
  supervisor?: string;
  workplace?: string;
}

function demoUser(
  n: number,
  userType: string,
  name: string,
  home: string,
  areas: string[],
  extra: Partial<DemoUser> = {},
): DemoUser {
  const suffix = String(n).padStart(2, "0");
  return {
    name,
    userType,
    phone: `62811000000${suffix}`,
    email: `${userType.replace(/_/g, "-")}@demo.isikhnas.example.org`,
    imId: `9000000${suffix}`,
    language: "id",
    home,
    areas,
    ...extra,
  };
}

/** One demo user of each type; keyed by user type. Supervisors name another key. */
export const DEMO_USERS = {
  champion: demoUser(1, "champion", "Citra Champion", "72060202", ["72", "73"], { language: "en" }),
  regional_coordinator: demoUser(2, "regional_coordinator", "Rudi Regional", "73710101", ["72", "73"]),
  provincial_coordinator: demoUser(3, "provincial_coordinator", "Putri Provinsi", "72010101", ["72"]),
  district_coordinator: demoUser(4, "district_coordinator", "Dedi Koordinator", "72060202", ["7206"]),
  district_vet: demoUser(5, "district_vet", "drh. Dewi", "72060201", ["7206"], { language: "en" }),
  paravet: demoUser(6, "paravet", "Pak Paravet", "72060203", ["720602"], { supervisor: "district_vet" }),
  village_reporter: demoUser(7, "village_reporter", "Budi Pelsa", "72060202", ["72060202"], {
    supervisor: "paravet",
  }),
  abattoir_reporter: demoUser(8, "abattoir_reporter", "Andi RPH", "72060202", ["7206"], {
    workplace: "RPH7206",
  }),
  inseminator: demoUser(9, "inseminator", "Ina Inseminator", "72060201", ["720602"]),
  lab_staff: demoUser(10, "lab_staff", "Laras Lab", "73080101", ["73"], { workplace: "730801" }),
  viewer: demoUser(11, "viewer", "Vina Viewer", "73080102", ["72", "73"]),
} satisfies Record<string, DemoUser>;

export type DemoUserType = keyof typeof DEMO_USERS;

/** Idempotent: locations and infrastructure by code, users by their SMS contact. */
export async function seedDemoData(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO locations (code, parent_code, name, latitude, longitude)
       SELECT code, nullif(left(code, length(code) - 2), ''), name, lat, lon
       FROM unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[]) AS l (code, name, lat, lon)
       ORDER BY length(code)
       ON CONFLICT (code) DO NOTHING`,
      [
        DEMO_LOCATIONS.map((l) => l.code),
        DEMO_LOCATIONS.map((l) => l.name),
        DEMO_LOCATIONS.map((l) => l.latitude ?? null),
        DEMO_LOCATIONS.map((l) => l.longitude ?? null),
      ],
    );
    await tx.query(
      `INSERT INTO infrastructure (kind, code, name, location_id)
       SELECT i.kind, i.code, i.name, l.id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS i (kind, code, name, location)
       JOIN locations l ON l.code = i.location
       ON CONFLICT (code) DO NOTHING`,
      [
        DEMO_INFRASTRUCTURE.map((i) => i.kind),
        DEMO_INFRASTRUCTURE.map((i) => i.code),
        DEMO_INFRASTRUCTURE.map((i) => i.name),
        DEMO_INFRASTRUCTURE.map((i) => i.location),
      ],
    );
    await tx.query(
      `INSERT INTO programs (code, kind, name)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (code) DO NOTHING`,
      [DEMO_PROGRAMS.map((p) => p.code), DEMO_PROGRAMS.map((p) => p.kind), DEMO_PROGRAMS.map((p) => p.name)],
    );
    const ids = new Map<string, number>();
    for (const [key, user] of Object.entries(DEMO_USERS)) {
      ids.set(key, await ensureDemoUser(tx, user));
    }
    for (const [key, user] of Object.entries(DEMO_USERS) as [string, DemoUser][]) {
      if (!user.supervisor) continue;
      await tx.query("UPDATE users SET supervisor_id = $2 WHERE id = $1 AND supervisor_id IS NULL", [
        ids.get(key),
        ids.get(user.supervisor),
      ]);
    }
  });
}

async function ensureDemoUser(tx: Queryable, user: DemoUser): Promise<number> {
  const existing = await tx.query<{ user_id: number }>(
    "SELECT user_id FROM contacts WHERE channel = 'sms' AND address = $1",
    [user.phone],
  );
  const found = existing.rows[0];
  if (found) return found.user_id;
  const inserted = await tx.query<{ id: number }>(
    `INSERT INTO users (name, user_type, home_location_id, language, workplace_id)
     SELECT $1, $2, l.id, $4, (SELECT id FROM infrastructure WHERE code = $5)
     FROM locations l WHERE l.code = $3
     RETURNING id`,
    [user.name, user.userType, user.home, user.language, user.workplace ?? null],
  );
  const id = inserted.rows[0]?.id;
  if (id === undefined) throw new Error(`demo user ${user.name}: home location ${user.home} missing`);
  await tx.query(
    `INSERT INTO contacts (user_id, channel, address, verified)
     VALUES ($1, 'sms', $2, true), ($1, 'email', $3, true), ($1, 'im', $4, true)`,
    [id, user.phone, user.email, user.imId],
  );
  await tx.query(
    `INSERT INTO user_areas (user_id, location_id)
     SELECT $1, id FROM locations WHERE code = ANY($2::text[])`,
    [id, user.areas],
  );
  return id;
}
