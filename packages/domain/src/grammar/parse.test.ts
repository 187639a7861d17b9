import { describe, expect, it } from "vitest";
import type { Command, ParseError } from "./ast.js";
import { normaliseText } from "./normalise.js";
import { parseCommand } from "./parse.js";
import { scan } from "./tokens.js";

const parsed: [string, Command][] = [
  // Wiki examples.
  [
    "U mc,dm sp 4",
    { code: "U", signs: ["MC", "DM"], species: "SP", count: 4, location: null, differentialDiagnoses: [] },
  ],
  [
    "U mc,dm sp 4 72060202 coc,sal",
    {
      code: "U",
      signs: ["MC", "DM"],
      species: "SP",
      count: 4,
      location: "72060202",
      differentialDiagnoses: ["COC", "SAL"],
    },
  ],
  ["PK 2238 SB", { code: "PK", caseId: 2238, outcome: "SB" }],
  [
    "LAB 2055 FES SG PAR 2 730801",
    {
      code: "LAB",
      caseId: 2055,
      specimens: [{ specimenType: "FES", form: "SG", section: "PAR", count: 2 }],
      lab: "730801",
    },
  ],
  // Separators people actually type.
  [
    "  u  MC, DM   Sp 4 ",
    { code: "U", signs: ["MC", "DM"], species: "SP", count: 4, location: null, differentialDiagnoses: [] },
  ],
  [
    "U mc ,dm\nsp\n4.",
    { code: "U", signs: ["MC", "DM"], species: "SP", count: 4, location: null, differentialDiagnoses: [] },
  ],
  [
    "U.mc,dm.sp.4.72060202",
    {
      code: "U",
      signs: ["MC", "DM"],
      species: "SP",
      count: 4,
      location: "72060202",
      differentialDiagnoses: [],
    },
  ],
  [
    "U mc sp 4 coc",
    { code: "U", signs: ["MC"], species: "SP", count: 4, location: null, differentialDiagnoses: ["COC"] },
  ],
  [
    "u mc,mc sp 4",
    { code: "U", signs: ["MC"], species: "SP", count: 4, location: null, differentialDiagnoses: [] },
  ],
  [
    "P ai ay 20 72060202 hpai",
    {
      code: "P",
      syndrome: "AI",
      species: "AY",
      count: 20,
      location: "72060202",
      differentialDiagnoses: ["HPAI"],
    },
  ],
  ["pk 2238 sb.", { code: "PK", caseId: 2238, outcome: "SB" }],
  [
    "LAB 2055 FES SG PAR 2 DRH SG 1 730801",
    {
      code: "LAB",
      caseId: 2055,
      specimens: [
        { specimenType: "FES", form: "SG", section: "PAR", count: 2 },
        { specimenType: "DRH", form: "SG", section: null, count: 1 },
      ],
      lab: "730801",
    },
  ],
  [
    "VAK 101 72060202 sp 10 2 kb 5",
    {
      code: "VAK",
      program: "101",
      location: "72060202",
      groups: [
        { species: "SP", primary: 10, booster: 2 },
        { species: "KB", primary: 5, booster: 0 },
      ],
    },
  ],
  [
    "RP RPH7301 sp 3 2 kb 0 4",
    {
      code: "RP",
      slaughterhouse: "RPH7301",
      groups: [
        { species: "SP", male: 3, female: 2 },
        { species: "KB", male: 0, female: 4 },
      ],
    },
  ],
  [
    "POP sp 120 kb 40",
    {
      code: "POP",
      location: null,
      groups: [
        { species: "SP", count: 120 },
        { species: "KB", count: 40 },
      ],
    },
  ],
  ["POP 72060202 sp 120", { code: "POP", location: "72060202", groups: [{ species: "SP", count: 120 }] }],
  ["h", { code: "H" }],
  ["LAPD 72060202", { code: "LAPD", village: "72060202" }],
  ["KODE", { code: "KODE", list: null }],
  ["kode sp", { code: "KODE", list: "SP" }],
  ["CKL lemo", { code: "CKL", name: "LEMO" }],
  ["CKL tanjung  batu", { code: "CKL", name: "TANJUNG BATU" }],
  ["?", { code: "?" }],
  // A comma typed where a space was meant, read as a field separator.
  [
    "U mc,dm, sp 4",
    { code: "U", signs: ["MC", "DM"], species: "SP", count: 4, location: null, differentialDiagnoses: [] },
  ],
  [
    "U mc,dm,bt, sp 4 72060202 coc, sal",
    {
      code: "U",
      signs: ["MC", "DM", "BT"],
      species: "SP",
      count: 4,
      location: "72060202",
      differentialDiagnoses: ["COC", "SAL"],
    },
  ],
  ["PK 2238, SB", { code: "PK", caseId: 2238, outcome: "SB" }],
  // A list that legitimately ends before a field keeps its last item.
  [
    "U mc, dm sp 4 coc, sal",
    {
      code: "U",
      signs: ["MC", "DM"],
      species: "SP",
      count: 4,
      location: null,
      differentialDiagnoses: ["COC", "SAL"],
    },
  ],
];

/** The same report typed with a comma where a space was meant, and as meant. */
const strayCommas: [string, string][] = [
  ["U mc,dm, sp 4", "U mc,dm sp 4"],
  ["U mc;dm; sp 4", "U mc,dm sp 4"],
  ["U.mc,dm,.sp.4", "U mc,dm sp 4"],
  ["U mc,dm,, sp 4 72060202 coc,sal", "U mc,dm sp 4 72060202 coc,sal"],
  ["U mc,dm sp, 4", "U mc,dm sp 4"],
  ["U mc,dm sp 4, 72060202", "U mc,dm sp 4 72060202"],
  ["U mc,dm sp 4 72060202, coc", "U mc,dm sp 4 72060202 coc"],
  ["P ai, ay 20", "P ai ay 20"],
  ["P ai ay, 20 72060202 hpai", "P ai ay 20 72060202 hpai"],
  ["PK 2238, SB", "PK 2238 SB"],
  ["LAB 2055, FES SG PAR 2 730801", "LAB 2055 FES SG PAR 2 730801"],
  ["LAB 2055 FES SG PAR 2, 730801", "LAB 2055 FES SG PAR 2 730801"],
  ["VAK 101 72060202 sp, 10 2 kb 5", "VAK 101 72060202 sp 10 2 kb 5"],
  ["RP RPH7301 sp 3, 2", "RP RPH7301 sp 3 2"],
  ["POP 72060202, sp 120", "POP 72060202 sp 120"],
  ["POP sp, 120 kb 40", "POP sp 120 kb 40"],
];

const failures: [string, ParseError][] = [
  ["", { kind: "empty" }],
  [" \n ", { kind: "empty" }],
  ["hello there", { kind: "unknownCommand", word: "HELLO" }],
  ["U", { kind: "format", command: "U", field: "signs" }],
  ["U mc,dm", { kind: "format", command: "U", field: "species" }],
  ["U mc,dm sp", { kind: "format", command: "U", field: "count" }],
  ["U mc,dm sp four", { kind: "format", command: "U", field: "count", value: "FOUR" }],
  ["U mc,dm 4 sp", { kind: "format", command: "U", field: "species", value: "4" }],
  ["U mc,dm sp 4 7206020 coc", { kind: "format", command: "U", field: "location", value: "7206020" }],
  [
    "U mc,dm sp 4 72060202 coc extra",
    { kind: "spacedList", command: "U", field: "ddx", suggestion: "U MC,DM SP 4 72060202 COC,EXTRA" },
  ],
  ["U mc dm sp 11", { kind: "spacedList", command: "U", field: "signs", suggestion: "U MC,DM SP 11" }],
  ["PK 2238 SB terima kasih", { kind: "format", command: "PK", value: "TERIMA KASIH" }],
  ["U mc,dm sp 4 72060202 coc 12", { kind: "format", command: "U", value: "12" }],
  ["U mc,dm sp 0", { kind: "range", command: "U", field: "count", value: 0, min: 1, max: 100000 }],
  ["U mc,dm sp 100001", { kind: "range", command: "U", field: "count", value: 100001, min: 1, max: 100000 }],
  ["PK", { kind: "format", command: "PK", field: "caseId" }],
  ["PK SB 2238", { kind: "format", command: "PK", field: "caseId", value: "SB" }],
  ["LAB 2055 730801", { kind: "format", command: "LAB", field: "specimenType" }],
  ["LAB 2055 FES SG PAR 730801", { kind: "format", command: "LAB", field: "count" }],
  ["VAK 101", { kind: "format", command: "VAK", field: "location" }],
  ["RP RPH7301 sp 3", { kind: "format", command: "RP", field: "female" }],
  ["POP", { kind: "format", command: "POP", field: "species" }],
  ["H now", { kind: "format", command: "H", value: "NOW" }],
  ["LAPD", { kind: "format", command: "LAPD", field: "village" }],
  ["CKL", { kind: "format", command: "CKL", field: "name" }],
  ["CKL ab", { kind: "format", command: "CKL", field: "name", value: "AB" }],
  // No second reading: each of these could be a list that legitimately ends before a
  // field, or the second reading fails too and the first error stands.
  ["U mc, sp 4", { kind: "format", command: "U", field: "species", value: "4" }],
  ["U mc, dm 4", { kind: "format", command: "U", field: "species", value: "4" }],
  ["U mc, dm, sp 4", { kind: "format", command: "U", field: "species", value: "4" }],
  ["U mc,dm,sp 4", { kind: "format", command: "U", field: "species", value: "4" }],
  ["U mc,dm, 4", { kind: "format", command: "U", field: "signs", value: "MC,DM,4" }],
  ["U mc,dm, sp", { kind: "format", command: "U", field: "species" }],
  ["U mc,dm, sp 0", { kind: "format", command: "U", field: "species", value: "0" }],
  ["PK 2238, SB, MT", { kind: "format", command: "PK", field: "caseId", value: "2238,SB,MT" }],
  ["RP RPH7301 sp 3,2", { kind: "format", command: "RP", field: "male", value: "3,2" }],
];

describe("parseCommand", () => {
  it.each(parsed)("%j parses", (text, command) => {
    expect(parseCommand(text)).toEqual({ ok: true, command });
  });

  it.each(failures)("%j is rejected", (text, error) => {
    expect(parseCommand(text)).toEqual({ ok: false, error });
  });

  it.each(strayCommas)("%j reads as %j, with the same duplicate key", (typed, meant) => {
    const reading = parseCommand(meant);
    expect(reading.ok).toBe(true);
    expect(parseCommand(typed)).toEqual(reading);
    expect(normaliseText(typed)).toBe(normaliseText(meant));
  });
});

describe("scan and the duplicate key", () => {
  it.each([
    ["U mc, dm sp 4", ["U", "MC,DM", "SP", "4"]],
    ["U mc ,  dm,sp 4", ["U", "MC,DM,SP", "4"]],
    ["PK\t2238\r\nSB", ["PK", "2238", "SB"]],
    ["U mc,dm, sp", ["U", "MC,DM,SP"]],
    [",,", []],
  ])("%j → %j", (text, tokens) => {
    expect(scan(text).map((token) => token.text)).toEqual(tokens);
  });

  it("gives the same key to the same report however it was spaced", () => {
    expect(normaliseText("u mc, dm  sp 4.")).toBe(normaliseText("U MC,DM SP 4"));
  });

  it("keys a comma read as a field separator as a space, and one kept in a list as a comma", () => {
    expect(normaliseText("U mc,dm, sp 4")).toBe("U MC,DM SP 4");
    expect(normaliseText("U mc, dm sp 4 coc, sal")).toBe("U MC,DM SP 4 COC,SAL");
    expect(normaliseText("U mc, sp 4")).toBe("U MC,SP 4");
  });
});

describe("scan", () => {
  it.each([
    ["U mc,dm, sp 4", [["tight", "loose"], []]],
    ["U mc , dm,sp 4", [["loose", "tight"], []]],
    ["U mc ,dm;\nsp 4", [["tight", "loose"], []]],
    ["U mc,,dm,.sp", [["tight", "loose"]]],
  ])("%j joins its lists %j", (text, joins) => {
    expect(
      scan(text)
        .slice(1)
        .map((token) => token.joins),
    ).toEqual(joins);
  });
});
