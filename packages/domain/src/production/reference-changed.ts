// Rows are checked against the reference data (villages, programs, slaughterhouses) as
// committed at that moment; each write statement sees what is committed when it starts, so
// one retired in between would make its join drop the row without a word. Counting what
// was written against what was checked turns that into a rollback and a retry, after which
// the checks tell the sender about the row.

/** Reference data a checked row relies on changed between the checks and the write. */
export class ReferenceDataChanged extends Error {
  constructor(what: string, checked: number, written: number) {
    super(`${what}: ${written} of ${checked} checked rows still match the reference data`);
    this.name = "ReferenceDataChanged";
  }
}

/** Throws ReferenceDataChanged unless every checked row was written. */
export function expectEveryRowWritten(what: string, checked: number, written: number): void {
  if (written !== checked) throw new ReferenceDataChanged(what, checked, written);
}
