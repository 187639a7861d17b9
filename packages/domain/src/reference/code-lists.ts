// The code lists shipped with the system. They are loaded into the database once and
// then edited there: the engine reads codes from the tables, never from this file.

export interface CodeListSeed {
  /** The code coded columns reference; people may always type it after KODE. */
  code: string;
  /**
   * The wiki's name of the list, which replies name (KODE TAN); the database's
   * code_list_names, shipped by migration 0071, makes KODE answer to it.
   */
  name?: string;
  labelId: string;
  labelEn: string;
  /** [code, Indonesian label, English label] */
  codes: [string, string, string][];
}

export const CODE_LISTS: CodeListSeed[] = [
  {
    code: "SP",
    labelId: "spesies",
    labelEn: "species",
    codes: [
      ["AY", "Ayam", "chicken"],
      ["IT", "Itik", "duck"],
      ["AG", "Angsa", "goose"],
      ["EG", "Entog", "muscovy duck"],
      ["UL", "Unggas lain", "other poultry"],
      ["MP", "Merpati", "pigeon"],
      ["PY", "Puyuh", "quail"],
      ["SP", "Sapi", "cattle"],
      ["KR", "Kerbau", "buffalo"],
      ["KB", "Kambing", "goat"],
      ["DB", "Domba", "sheep"],
      ["KD", "Kuda", "horse"],
      ["KL", "Kelinci", "rabbit"],
      ["AJ", "Anjing", "dog"],
      ["KC", "Kucing", "cat"],
      ["BB", "Babi", "pig"],
    ],
  },
  {
    code: "TK",
    name: "TAN",
    labelId: "tanda",
    labelEn: "signs",
    codes: [
      ["DM", "Demam", "fever"],
      ["MC", "Mencret", "diarrhoea"],
      ["BT", "Batuk", "coughing"],
      ["SN", "Sesak napas", "difficult breathing"],
      ["NM", "Nafsu makan hilang", "loss of appetite"],
      ["LM", "Lemas", "weakness"],
      ["PC", "Pincang", "lameness"],
      ["LP", "Lepuh mulut/kaki", "blisters on mouth/feet"],
      ["LI", "Air liur berlebih", "excess salivation"],
      ["KJ", "Kejang", "convulsions"],
      ["LU", "Lumpuh", "paralysis"],
      ["AB", "Keguguran", "abortion"],
      ["KR", "Kurus", "weight loss"],
      ["BK", "Benjolan kulit", "skin nodules"],
      ["PD", "Pendarahan", "bleeding"],
      ["MM", "Mati mendadak", "sudden death"],
      ["JB", "Jengger kebiruan", "blue comb/wattles"],
      ["MB", "Mata berair", "watery eyes"],
      ["AG", "Agresif", "aggression"],
    ],
  },
  {
    code: "SN",
    name: "SIN",
    labelId: "sindrom",
    labelEn: "syndromes",
    codes: [
      ["AI", "Unggas mati mendadak", "sudden poultry deaths"],
      ["RB", "Gigitan/perilaku mirip rabies", "rabies-like bite or behaviour"],
      ["AN", "Mati mendadak, darah dari lubang tubuh", "sudden death, bleeding from orifices"],
      ["PMK", "Lepuh mulut dan kaki", "vesicles on mouth and feet"],
      ["BR", "Keguguran massal", "abortion storm"],
      ["ASF", "Babi mati massal", "mass pig deaths"],
      ["LSD", "Benjolan kulit menyebar", "spreading skin nodules"],
    ],
  },
  {
    code: "PN",
    labelId: "penyakit",
    labelEn: "diseases",
    codes: [
      ["COC", "Koksidiosis", "coccidiosis"],
      ["SAL", "Salmonelosis", "salmonellosis"],
      ["HPAI", "Flu burung", "avian influenza"],
      ["ND", "Tetelo", "Newcastle disease"],
      ["RAB", "Rabies", "rabies"],
      ["ANT", "Antraks", "anthrax"],
      ["FMD", "Penyakit mulut dan kuku", "foot-and-mouth disease"],
      ["BRU", "Brucellosis", "brucellosis"],
      ["SE", "Septicaemia epizootica", "haemorrhagic septicaemia"],
      ["ASF", "Demam babi Afrika", "African swine fever"],
      ["CSF", "Kolera babi", "classical swine fever"],
      ["LSD", "Lumpy skin disease", "lumpy skin disease"],
      ["JEM", "Jembrana", "Jembrana disease"],
      ["SUR", "Surra", "surra"],
      ["HEL", "Cacingan", "worm infestation"],
      ["BEF", "Demam tiga hari", "bovine ephemeral fever"],
      ["SCA", "Scabies", "mange"],
      ["PNE", "Pneumonia", "pneumonia"],
      ["MAS", "Mastitis", "mastitis"],
      ["TOX", "Keracunan", "poisoning"],
    ],
  },
  {
    code: "HS",
    name: "PK",
    labelId: "hasil kasus",
    labelEn: "outcomes",
    codes: [
      ["SB", "Sembuh", "Recovered"],
      ["MS", "Masih sakit", "Still sick"],
      ["MT", "Mati", "Dead"],
    ],
  },
  {
    code: "JS",
    labelId: "jenis spesimen",
    labelEn: "specimen types",
    codes: [
      ["FES", "Feses", "faeces"],
      ["DRH", "Darah", "blood"],
      ["SER", "Serum", "serum"],
      ["SWB", "Swab", "swab"],
      ["ORG", "Organ", "organ"],
      ["OTK", "Otak", "brain"],
      ["SUS", "Susu", "milk"],
      ["KUL", "Kulit", "skin"],
      ["URN", "Urin", "urine"],
      ["BGK", "Bangkai", "carcass"],
    ],
  },
  {
    code: "BS",
    labelId: "bentuk spesimen",
    labelEn: "specimen forms",
    codes: [
      ["SG", "Segar", "fresh"],
      ["DG", "Dingin", "chilled"],
      ["BK", "Beku", "frozen"],
      ["FRM", "Formalin", "formalin"],
      ["KR", "Kering", "dried"],
      ["MT", "Media transport", "transport medium"],
    ],
  },
  {
    code: "BL",
    name: "SL",
    labelId: "seksi lab",
    labelEn: "lab sections",
    codes: [
      ["PAR", "Parasitologi", "parasitology"],
      ["BAK", "Bakteriologi", "bacteriology"],
      ["VIR", "Virologi", "virology"],
      ["PAT", "Patologi", "pathology"],
      ["SER", "Serologi", "serology"],
      ["TOK", "Toksikologi", "toxicology"],
      ["KMV", "Kesmavet", "veterinary public health"],
    ],
  },
  {
    code: "KP",
    labelId: "kelas populasi",
    labelEn: "population classes",
    codes: [
      ["AN", "Anak", "young"],
      ["MD", "Muda", "growing"],
      ["JD", "Jantan dewasa", "adult male"],
      ["BD", "Betina dewasa", "adult female"],
    ],
  },
];
