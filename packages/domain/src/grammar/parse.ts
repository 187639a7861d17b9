// Pure parser: message text → command, or a typed error naming the field and what was
// expected. Hand-written because the grammar is a dozen short space-separated formats
// with optional and repeatable groups; a parser generator would add more than it saves.
import {
  COMMAND_CODES,
  type Command,
  type CommandCode,
  type Field,
  type ParseError,
  type ParseResult,
} from "./ast.js";
import { tokenise } from "./normalise.js";

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

function isCommandCode(word: string): word is CommandCode {
  return (COMMAND_CODES as readonly string[]).includes(word);
}

/** Reads the tokens of one command left to right; every miss becomes that command's format error. */
class Reader {
  private position = 0;
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
    const extra = this.peek();
    if (extra !== undefined) this.fail(undefined, extra);
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
};

export function parseCommand(text: string): ParseResult {
  const tokens = tokenise(text);
  const [word, ...fields] = tokens;
  if (word === undefined) return { ok: false, error: { kind: "empty" } };
  if (!isCommandCode(word)) return { ok: false, error: { kind: "unknownCommand", word } };
  try {
    return { ok: true, command: parsers[word](new Reader(word, fields)) };
  } catch (caught: unknown) {
    if (caught instanceof Fail) return { ok: false, error: caught.error };
    throw caught;
  }
}
