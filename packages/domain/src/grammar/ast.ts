// The commands people send, as typed values: what the parser produces and the
// executors consume. Codes are upper-case; whether they exist is checked against the
// code lists at execution, because code lists are data.

export const COMMAND_CODES = [
  "U",
  "P",
  "PK",
  "LAB",
  "VAK",
  "RP",
  "POP",
  "H",
  "LAPD",
  "KODE",
  "CKL",
  "?",
  "KOM",
  "CKT",
  "CKP",
  "CKO",
  "DKL",
  "LAPK",
  "PNEG",
  "Q",
  "SK",
  "VSK",
  "CUL",
  "R",
  "OB",
] as const;
export type CommandCode = (typeof COMMAND_CODES)[number];

export interface SickAnimalCase {
  code: "U";
  signs: string[];
  species: string;
  count: number;
  location: string | null;
  differentialDiagnoses: string[];
}

export interface PriorityCase {
  code: "P";
  syndrome: string;
  species: string;
  count: number;
  location: string | null;
  differentialDiagnoses: string[];
}

export interface CaseOutcome {
  code: "PK";
  caseId: number;
  outcome: string;
}

export interface SpecimenGroup {
  specimenType: string;
  form: string;
  section: string | null;
  count: number;
}

export interface LabSubmission {
  code: "LAB";
  caseId: number;
  specimens: SpecimenGroup[];
  lab: string;
}

export interface VaccinationGroup {
  species: string;
  primary: number;
  booster: number;
}

export interface Vaccination {
  code: "VAK";
  program: string;
  location: string;
  groups: VaccinationGroup[];
}

export interface SlaughterGroup {
  species: string;
  male: number;
  female: number;
}

export interface SlaughterReport {
  code: "RP";
  slaughterhouse: string;
  groups: SlaughterGroup[];
}

export interface PopulationGroup {
  species: string;
  count: number;
}

export interface PopulationCount {
  code: "POP";
  location: string | null;
  groups: PopulationGroup[];
}

export interface DeleteLastReport {
  code: "H";
}

export interface VillageCases {
  code: "LAPD";
  village: string;
}

export interface CodeListQuery {
  code: "KODE";
  list: string | null;
}

export interface LocationSearch {
  code: "CKL";
  name: string;
}

export interface CommandList {
  code: "?";
}

/** A comment on a case; its words are read from the stored message, as typed. */
export interface CaseComment {
  code: "KOM";
  caseId: number;
}

/** Codes of signs (CKT), priority syndromes (CKP) or outcomes (CKO) whose words start with `name`. */
export interface CodeSearch {
  code: "CKT" | "CKP" | "CKO";
  name: string;
}

export interface SubLocations {
  code: "DKL";
  location: string | null;
}

export interface SenderCases {
  code: "LAPK";
}

export interface NegativeReport {
  code: "PNEG";
  location: string | null;
}

export interface MovementGroup {
  species: string;
  count: number;
}

/** A livestock movement permit (SKKH), as the wiki gives it. */
export interface MovementPermit {
  code: "SK";
  owner: string;
  origin: string;
  destination: string;
  groups: MovementGroup[];
  ownerPhone: string | null;
}

export interface PermitCheck {
  code: "VSK";
  permitId: number;
}

/** Animals culled under a program, by species. */
export interface Culling {
  code: "CUL";
  program: string;
  location: string;
  groups: MovementGroup[];
}

/** An officer's response to a case: the diagnoses it led to. */
export interface CaseResponse {
  code: "R";
  caseId: number;
  diagnoses: string[];
}

/** A treatment given to animals of a case. */
export interface Treatment {
  code: "OB";
  caseId: number;
  drug: string;
  count: number;
}

/** A question to the help desk; its words are read from the stored message, as typed. */
export interface Question {
  code: "Q";
}

export type Command =
  | SickAnimalCase
  | PriorityCase
  | CaseOutcome
  | LabSubmission
  | Vaccination
  | SlaughterReport
  | PopulationCount
  | DeleteLastReport
  | VillageCases
  | CodeListQuery
  | LocationSearch
  | CommandList
  | CaseComment
  | CodeSearch
  | SubLocations
  | SenderCases
  | NegativeReport
  | Question
  | MovementPermit
  | PermitCheck
  | Culling
  | CaseResponse
  | Treatment;

/** A field of a command, named in error replies ("unknown species 'XX'"). */
export type Field =
  | "signs"
  | "species"
  | "count"
  | "location"
  | "ddx"
  | "syndrome"
  | "caseId"
  | "outcome"
  | "specimenType"
  | "form"
  | "section"
  | "lab"
  | "program"
  | "slaughterhouse"
  | "male"
  | "female"
  | "primary"
  | "booster"
  | "village"
  | "list"
  | "name"
  | "text"
  | "owner"
  | "destination"
  | "phone"
  | "permit"
  | "drug";

export type ParseError =
  | { kind: "empty" }
  | { kind: "unknownCommand"; word: string }
  /** Bare code, missing or extra fields: the reply is that command's format. */
  | { kind: "format"; command: CommandCode; field?: Field; value?: string }
  /** A list typed with spaces between its items (`U mc dm sp 11`); `suggestion` reads as meant. */
  | { kind: "spacedList"; command: CommandCode; field: Field; suggestion: string }
  | { kind: "range"; command: CommandCode; field: Field; value: number; min: number; max: number };

export type ParseResult = { ok: true; command: Command } | { ok: false; error: ParseError };
