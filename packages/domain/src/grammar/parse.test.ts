import { describe, expect, it } from "vitest";
import type { Command, ParseError } from "./ast.js";
import { normaliseText, tokenise } from "./normalise.js";
import { parseCommand } from "./parse.js";

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
  ["U mc,dm sp 4 72060202 coc extra", { kind: "format", command: "U", value: "EXTRA" }],
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
];

describe("parseCommand", () => {
  it.each(parsed)("%j parses", (text, command) => {
    expect(parseCommand(text)).toEqual({ ok: true, command });
  });

  it.each(failures)("%j is rejected", (text, error) => {
    expect(parseCommand(text)).toEqual({ ok: false, error });
  });
});

describe("tokenise", () => {
  it.each([
    ["U mc, dm sp 4", ["U", "MC,DM", "SP", "4"]],
    ["U mc ,  dm,sp 4", ["U", "MC,DM,SP", "4"]],
    ["PK\t2238\r\nSB", ["PK", "2238", "SB"]],
    ["U mc,dm, sp", ["U", "MC,DM,SP"]],
    [",,", []],
  ])("%j → %j", (text, tokens) => {
    expect(tokenise(text)).toEqual(tokens);
  });

  it("gives the same key to the same report however it was spaced", () => {
    expect(normaliseText("u mc, dm  sp 4.")).toBe(normaliseText("U MC,DM SP 4"));
  });
});
