// Errors found in cells, wherever they were found (in the workbook or against the
// database), collected up to a limit so a workbook with a million mistakes stays cheap.
import type { Labels } from "@isikhnas/domain";

export interface CellError {
  /** The sheet's name as the sender's workbook has it. */
  sheet: string;
  row: number;
  /** 1-based column position; absent when the error is about the whole row. */
  column?: number;
  header?: string;
  /** The cell's content as the sender typed it. */
  value: string;
  problem: Labels;
  expected: Labels;
}

export class ErrorCollector {
  readonly #limit: number;
  readonly #errors: CellError[] = [];
  #count = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  add(error: CellError): void {
    this.#count++;
    if (this.#errors.length < this.#limit) this.#errors.push(error);
  }

  /** Every error, the unreported ones included. */
  get count(): number {
    return this.#count;
  }

  /** The errors kept in detail, in the order found. */
  get reported(): readonly CellError[] {
    return this.#errors;
  }
}
