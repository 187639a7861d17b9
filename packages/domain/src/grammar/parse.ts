// Pure parser: message text → command, or a typed error naming the field and what was
// expected. Hand-written because the grammar is a dozen short space-separated formats
// with optional and repeatable groups, plus one second reading for a comma typed where a
// space was meant; a parser generator would add more than it saves.
import {
  COMMAND_CODES,
  type Command,
  type CommandCode,
  type Field,
  type ParseError,
  type ParseResult,
} from "./ast.js";
import { scan, type Token } from "./tokens.js";

/** Limits shared by the parser and the database CHECK constraints. */
export const LIMITS = {
  caseAnimals: { min: 1, max: 100_000 },
  specimens: { min: 1, max: 10_000 },
  slaughter: { min: 0, max: 100_000 },
  vaccinated: { min: 0, max: 100_000 },
  population: { min: 0, max: 10_000_000 },
} as const;

class Fail {
  constructor(readonly error: ParseError) {}
}

const CODE = /^[A-Z][A-Z0-9_]{0,11}$/;
const NUMBER = /^[0-9]{1,12}$/;
const LOCATION = /^[0-9]{2}([0-9]{2}){0,3}$/;
const INFRASTRUCTURE = /^[A-Z0-9]{2,12}$/;
const OWNER = /^[0-9A-Z]{1,20}$/;
const PHONE = /^(0|62)[0-9]{7,13}$/;

function isCommandCode(word: string): word is CommandCode {
  return (COMMAND_CODES as readonly string[]).includes(word);
}

/** Reads the tokens of one command left to right; every miss becomes that command's format error. */
class Reader {
  private position = 0;
  /** Positions of the tokens read as lists and their fields, so a second reading can tell a list from a field. */
  readonly lists = new Map<number, Field>();
  constructor(
    readonly command: CommandCode,
    private readonly tokens: string[],
  ) {}

  get done(): boolean {
    return this.position >= this.tokens.length;
  }

  peek(): string | undefined {
    return this.tokens[this.position];
  }

  remaining(): number {
    return this.tokens.length - this.position;
  }

  fail(field?: Field, value?: string): never {
    const error: ParseError = { kind: "format", command: this.command };
    if (field) error.field = field;
    if (value !== undefined) error.value = value;
    throw new Fail(error);
  }

  take(field: Field): string {
    const token = this.tokens[this.position];
    if (token === undefined) this.fail(field);
    this.position += 1;
    return token;
  }

  code(field: Field): string {
    const token = this.take(field);
    if (!CODE.test(token)) this.fail(field, token);
    return token;
  }

  codes(field: Field): string[] {
    this.lists.set(this.position, field);
    const token = this.take(field);
    const items = token.split(",");
    if (items.some((item) => !CODE.test(item))) this.fail(field, token);
    return [...new Set(items)];
  }

  count(field: Field, limits: { min: number; max: number }): number {
    const token = this.take(field);
    if (!NUMBER.test(token)) this.fail(field, token);
    const value = Number(token);
    if (value < limits.min || value > limits.max) {
      throw new Fail({ kind: "range", command: this.command, field, value, ...limits });
    }
    return value;
  }

  id(field: Field): number {
    const token = this.take(field);
    if (!NUMBER.test(token)) this.fail(field, token);
    return Number(token);
  }

  location(field: Field): string {
    const token = this.take(field);
    if (!LOCATION.test(token)) this.fail(field, token);
    return token;
  }

  infrastructure(field: Field): string {
    const token = this.take(field);
    if (!INFRASTRUCTURE.test(token)) this.fail(field, token);
    return token;
  }

  nextIsNumber(): boolean {
    const token = this.peek();
    return token !== undefined && NUMBER.test(token);
  }

  rest(): string[] {
    const rest = this.tokens.slice(this.position);
    this.position = this.tokens.length;
    return rest;
  }

  end(): void {
    if (!this.done) this.fail(undefined, this.tokens.slice(this.position).join(" "));
  }
}

function caseTail(reader: Reader) {
  const species = reader.code("species");
  const count = reader.count("count", LIMITS.caseAnimals);
  const location = reader.nextIsNumber() ? reader.location("location") : null;
  const differentialDiagnoses = reader.done ? [] : reader.codes("ddx");
  reader.end();
  return { species, count, location, differentialDiagnoses };
}

const parsers: Record<CommandCode, (reader: Reader) => Command> = {
  U(reader) {
    const signs = reader.codes("signs");
    return { code: "U", signs, ...caseTail(reader) };
  },
  P(reader) {
    const syndrome = reader.code("syndrome");
    return { code: "P", syndrome, ...caseTail(reader) };
  },
  PK(reader) {
    const caseId = reader.id("caseId");
    const outcome = reader.code("outcome");
    reader.end();
    return { code: "PK", caseId, outcome };
  },
  LAB(reader) {
    const caseId = reader.id("caseId");
    const specimens = [];
    // Groups of `type form {section} n`, then the lab id as the last token.
    while (reader.remaining() > 1) {
      const specimenType = reader.code("specimenType");
      const form = reader.code("form");
      const section = reader.nextIsNumber() ? null : reader.code("section");
      // The last token is the lab, so a group that reaches it has lost its count.
      if (reader.remaining() <= 1) reader.fail("count");
      const count = reader.count("count", LIMITS.specimens);
      specimens.push({ specimenType, form, section, count });
    }
    if (specimens.length === 0) reader.fail("specimenType");
    const lab = reader.infrastructure("lab");
    reader.end();
    return { code: "LAB", caseId, specimens, lab };
  },
  VAK(reader) {
    const program = reader.infrastructure("program");
    const location = reader.location("location");
    const groups = [];
    do {
      const species = reader.code("species");
      const primary = reader.count("primary", LIMITS.vaccinated);
      const booster = reader.nextIsNumber() ? reader.count("booster", LIMITS.vaccinated) : 0;
      groups.push({ species, primary, booster });
    } while (!reader.done);
    return { code: "VAK", program, location, groups };
  },
  RP(reader) {
    const slaughterhouse = reader.infrastructure("slaughterhouse");
    const groups = [];
    do {
      const species = reader.code("species");
      const male = reader.count("male", LIMITS.slaughter);
      const female = reader.count("female", LIMITS.slaughter);
      groups.push({ species, male, female });
    } while (!reader.done);
    return { code: "RP", slaughterhouse, groups };
  },
  POP(reader) {
    const location = reader.nextIsNumber() ? reader.location("location") : null;
    const groups = [];
    do {
      const species = reader.code("species");
      const count = reader.count("count", LIMITS.population);
      groups.push({ species, count });
    } while (!reader.done);
    return { code: "POP", location, groups };
  },
  H(reader) {
    reader.end();
    return { code: "H" };
  },
  LAPD(reader) {
    const village = reader.location("village");
    reader.end();
    return { code: "LAPD", village };
  },
  KODE(reader) {
    const list = reader.done ? null : reader.code("list");
    reader.end();
    return { code: "KODE", list };
  },
  CKL(reader) {
    const name = reader.rest().join(" ");
    if (name.length < 3) reader.fail("name", name || undefined);
    return { code: "CKL", name };
  },
  "?"(reader) {
    reader.end();
    return { code: "?" };
  },
  KOM(reader) {
    const caseId = reader.id("caseId");
    if (reader.rest().length === 0) reader.fail("text");
    return { code: "KOM", caseId };
  },
  CKT: codeSearch("CKT"),
  CKP: codeSearch("CKP"),
  CKO: codeSearch("CKO"),
  DKL(reader) {
    const location = reader.done ? null : reader.location("location");
    reader.end();
    return { code: "DKL", location };
  },
  LAPK(reader) {
    reader.end();
    return { code: "LAPK" };
  },
  PNEG(reader) {
    const location = reader.done ? null : reader.location("location");
    reader.end();
    return { code: "PNEG", location };
  },
  Q(reader) {
    if (reader.rest().length === 0) reader.fail("text");
    return { code: "Q" };
  },
  SK(reader) {
    const owner = reader.take("owner");
    if (!OWNER.test(owner)) reader.fail("owner", owner);
    const origin = reader.location("location");
    const destination = reader.location("destination");
    const groups = [];
    let ownerPhone: string | null = null;
    do {
      // The owner's phone, when given, is the last token and the only one that is a number here.
      const next = reader.peek();
      if (next !== undefined && reader.remaining() === 1 && PHONE.test(next)) {
        ownerPhone = reader.take("phone");
        break;
      }
      const species = reader.code("species");
      const count = reader.count("count", LIMITS.caseAnimals);
      groups.push({ species, count });
    } while (!reader.done);
    if (groups.length === 0) reader.fail("species");
    return { code: "SK", owner, origin, destination, groups, ownerPhone };
  },
  CUL(reader) {
    const program = reader.infrastructure("program");
    const location = reader.location("location");
    const groups = [];
    do {
      const species = reader.code("species");
      const count = reader.count("count", LIMITS.caseAnimals);
      groups.push({ species, count });
    } while (!reader.done);
    return { code: "CUL", program, location, groups };
  },
  R(reader) {
    const caseId = reader.id("caseId");
    const diagnoses = reader.codes("ddx");
    reader.end();
    return { code: "R", caseId, diagnoses };
  },
  OB(reader) {
    const caseId = reader.id("caseId");
    const drug = reader.code("drug");
    const count = reader.count("count", LIMITS.caseAnimals);
    reader.end();
    return { code: "OB", caseId, drug, count };
  },
  VSK(reader) {
    const permitId = reader.id("permit");
    reader.end();
    return { code: "VSK", permitId };
  },
};

function codeSearch(code: "CKT" | "CKP" | "CKO") {
  return (reader: Reader): Command => {
    const name = reader.rest().join(" ");
    if (name.length < 2) reader.fail("name", name || undefined);
    return { code, name };
  };
}

/** A message as the parser read it. */
export interface Reading {
  /** The tokens read, with a comma taken back already split off: the key of the duplicate rule. */
  tokens: string[];
  result: ParseResult;
}

function read(
  command: CommandCode,
  fields: string[],
): { result: ParseResult; lists: ReadonlyMap<number, Field> } {
  const reader = new Reader(command, fields);
  try {
    return { result: { ok: true, command: parsers[command](reader) }, lists: reader.lists };
  } catch (caught: unknown) {
    if (caught instanceof Fail) return { result: { ok: false, error: caught.error }, lists: reader.lists };
    throw caught;
  }
}

/**
 * A token whose last item alone was joined by a comma and a space (`MC,DM, SP`, `2238, SB`):
 * that comma may have been meant as a field separator. A list joined loosely throughout
 * (`MC, DM, SP`) is how its writer joins lists, so its last item stays in it.
 */
function strayComma(token: Token): boolean {
  const last = token.joins.length - 1;
  return last >= 0 && token.joins.every((join, index) => join === (index === last ? "loose" : "tight"));
}

/**
 * Reads the message as typed; if that fails, reads it once more with the last item of one
 * token with a stray comma taken as the next field. The second reading stands only if what
 * is left of that token is read as a field, or as a list of two or more: `U mc, sp 4` reads
 * just as `U mc, dm 4` (two signs, species forgotten), so neither is guessed at. Only one
 * token is split; any other token with a comma fails every field but a list, and U's lists
 * come first and last, so at most one second reading can succeed.
 */
export function readCommand(text: string): Reading {
  const scanned = scan(text);
  const tokens = scanned.map((token) => token.text);
  const [word, ...fields] = tokens;
  if (word === undefined) return { tokens, result: { ok: false, error: { kind: "empty" } } };
  if (!isCommandCode(word)) return { tokens, result: { ok: false, error: { kind: "unknownCommand", word } } };
  const first = read(word, fields);
  if (first.result.ok) return { tokens, result: first.result };
  for (const [index, token] of scanned.slice(1).entries()) {
    if (!strayComma(token)) continue;
    const cut = token.text.lastIndexOf(",");
    const split = [
      ...fields.slice(0, index),
      token.text.slice(0, cut),
      token.text.slice(cut + 1),
      ...fields.slice(index + 1),
    ];
    const second = read(word, split);
    if (second.result.ok && (!second.lists.has(index) || token.joins.length > 1)) {
      return { tokens: [word, ...split], result: second.result };
    }
  }
  const spaced = spacedList(word, fields);
  return { tokens, result: spaced ? { ok: false, error: spaced } : first.result };
}

/** Beyond this many fields a message is not searched for a list typed with spaces. */
const SPACED_LIST_MAX_FIELDS = 16;

/**
 * A list whose items were separated by spaces (`U mc dm sp 11`, `… coc sal`): the run of
 * code-like tokens that, joined by commas, makes the message read with that run as a list.
 * It is answered, not guessed at: `U mc dm sp 11` could as well be a species forgotten.
 */
function spacedList(command: CommandCode, fields: string[]): ParseError | null {
  if (fields.length > SPACED_LIST_MAX_FIELDS) return null;
  for (let start = 0; start < fields.length; start += 1) {
    for (let end = fields.length; end >= start + 2; end -= 1) {
      const run = fields.slice(start, end);
      if (!run.every((token) => CODE.test(token))) continue;
      const joined = [...fields.slice(0, start), run.join(","), ...fields.slice(end)];
      const attempt = read(command, joined);
      const field = attempt.lists.get(start);
      if (attempt.result.ok && field !== undefined) {
        return { kind: "spacedList", command, field, suggestion: [command, ...joined].join(" ") };
      }
    }
  }
  return null;
}

export function parseCommand(text: string): ParseResult {
  return readCommand(text).result;
}
