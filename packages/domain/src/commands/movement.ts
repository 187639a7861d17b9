// SK (a livestock movement permit, SKKH) and VSK (checking one): the permit number the
// reply gives is what the officer writes on the paper certificate. CUL: animals culled
// under a program, the other way animals leave a village by order.
import type { Culling, MovementPermit, PermitCheck } from "../grammar/ast.js";
import { fitReply } from "../messages/gsm7.js";
import { accepted, type CommandContext, type CommandOutcome, rejected } from "./context.js";
import {
  findLocation,
  lookupCodes,
  placeName,
  placeWords,
  reportingDate,
  shortDate,
  unknownCode,
  villageInArea,
  wordsOf,
} from "./lookups.js";

export async function issuePermit(context: CommandContext, command: MovementPermit): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const species = command.groups.map((g) => g.species);
  const known = lookupCodes(context, "SP");
  const invalid = unknownCode(context, "species", "SP", species, known);
  if (invalid) return invalid;
  if (new Set(species).size !== species.length) return rejected(catalog.format("SK"), "species repeated");
  // The district of the origin issues the permit, so the origin lies in the sender's area.
  const origin = await villageInArea(context, command.origin);
  if (!origin.ok) return origin.outcome;
  const destination = await findLocation(context, command.destination);
  if (!destination) {
    return rejected(catalog.unknownLocation(command.destination), `unknown location ${command.destination}`);
  }
  if (destination.level !== 4) {
    return rejected(catalog.notAVillage(command.destination), `not a village ${command.destination}`);
  }
  if (destination.id === origin.place.id) {
    return rejected(catalog.format("SK"), "destination is the origin");
  }
  const inserted = await tx.query<{ id: number }>(
    `WITH permit AS (
       INSERT INTO movement_permits (owner_ref, owner_phone, origin_id, destination_id, issued_by, issued_at,
                                     inbound_message_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $5)
       RETURNING id
     ), animals AS (
       INSERT INTO movement_permit_animals (permit_id, species_code, animal_count, created_by)
       SELECT permit.id, a.species, a.n, $5 FROM permit, unnest($8::text[], $9::int[]) AS a (species, n)
     )
     SELECT id FROM permit`,
    [
      command.owner,
      command.ownerPhone,
      origin.place.id,
      destination.id,
      sender.id,
      context.receivedAt,
      context.inboundMessageId,
      species,
      command.groups.map((g) => g.count),
    ],
  );
  const permitId = inserted.rows[0]?.id;
  if (permitId === undefined) throw new Error("permit insert returned no id");
  const animals = command.groups
    .map((g) => `${g.count} ${wordsOf(known, [g.species], sender.language)}`)
    .join(", ");
  const [from, to] = await Promise.all([
    placeWords(context, origin.place.code),
    placeWords(context, destination.code),
  ]);
  const reply = fitReply(
    from.map((_, index) =>
      catalog.permitIssued(permitId, command.owner, animals, from[index] ?? "", to[index] ?? to.at(-1) ?? ""),
    ),
  );
  return accepted(reply);
}

export async function checkPermit(context: CommandContext, command: PermitCheck): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const found = await tx.query<{
    owner_ref: string;
    issued_at: Date;
    origin: string;
    destination: string;
  }>(
    `SELECT p.owner_ref, p.issued_at, o.code AS origin, d.code AS destination
     FROM movement_permits p JOIN locations o ON o.id = p.origin_id JOIN locations d ON d.id = p.destination_id
     WHERE p.id = $1 AND p.deleted_at IS NULL`,
    [command.permitId],
  );
  const permit = found.rows[0];
  if (!permit) return accepted(catalog.permitNotFound(command.permitId));
  const groups = await tx.query<{ species_code: string; animal_count: number }>(
    `SELECT species_code, animal_count FROM movement_permit_animals
     WHERE permit_id = $1 AND deleted_at IS NULL ORDER BY id`,
    [command.permitId],
  );
  const known = lookupCodes(context, "SP");
  const animals = groups.rows
    .map((g) => `${g.animal_count} ${wordsOf(known, [g.species_code], sender.language)}`)
    .join(", ");
  const [from, to] = await Promise.all([
    placeWords(context, permit.origin),
    placeWords(context, permit.destination),
  ]);
  const date = shortDate(permit.issued_at);
  const reply = fitReply(
    from.map((_, index) =>
      catalog.permitFound(
        command.permitId,
        date,
        permit.owner_ref,
        animals,
        from[index] ?? "",
        to[index] ?? to.at(-1) ?? "",
      ),
    ),
  );
  return accepted(reply);
}

export async function recordCulling(context: CommandContext, command: Culling): Promise<CommandOutcome> {
  const { tx, sender, catalog } = context;
  const species = command.groups.map((g) => g.species);
  const known = lookupCodes(context, "SP");
  const invalid = unknownCode(context, "species", "SP", species, known);
  if (invalid) return invalid;
  if (new Set(species).size !== species.length) return rejected(catalog.format("CUL"), "species repeated");
  const program = await tx.query<{ id: number }>(
    "SELECT id FROM programs WHERE code = $1 AND deleted_at IS NULL",
    [command.program],
  );
  const programId = program.rows[0]?.id;
  if (programId === undefined) {
    return rejected(catalog.unknownProgram(command.program), `unknown program ${command.program}`);
  }
  const where = await villageInArea(context, command.location);
  if (!where.ok) return where.outcome;
  await tx.query(
    `INSERT INTO culling_reports (program_id, location_id, report_date, species_code, animal_count, reporter_id,
                                  inbound_message_id, created_by)
     SELECT $1, $2, $3, c.species, c.n, $4, $5, $4 FROM unnest($6::text[], $7::int[]) AS c (species, n)`,
    [
      programId,
      where.place.id,
      reportingDate(context.receivedAt),
      sender.id,
      context.inboundMessageId,
      species,
      command.groups.map((g) => g.count),
    ],
  );
  const groups = command.groups
    .map((g) => `${wordsOf(known, [g.species], sender.language)} ${g.count}`)
    .join(", ");
  return accepted(catalog.cullingRecorded(command.program, placeName(where.place), groups));
}
