// A GSM modem's AT command set in PDU mode, as far as smsd uses it: initialisation and
// network checks, SIM storage read and cleared with +CPMS/+CMGL/+CMGR/+CMGD, and sending
// with +CMGS. The transport (a pseudo-terminal) is someone else's: bytes in, text out.
import { type DeliverPdu, decodeSubmit, deliverPdus, SMSC, type SubmittedPart, tpduLength } from "./pdu.js";

const CTRL_Z = "\x1a";
const ESC = "\x1b";
const STORAGE_SLOTS = 20;

interface StoredMessage {
  /** 0 received unread, 1 received read (27.007 PDU mode stat). */
  stat: 0 | 1;
  pdu: DeliverPdu;
}

export interface SentPdu {
  hex: string;
  part: SubmittedPart;
}

export class GsmModem {
  /** Every command line received, for a test's failure message. */
  readonly commands: string[] = [];
  readonly sent: SentPdu[] = [];
  /** PDUs answered with +CMS ERROR: unreadable, or not the length AT+CMGS announced. */
  readonly rejected: string[] = [];
  private readonly storage = new Map<number, StoredMessage>();
  private input = "";
  /** Set between AT+CMGS's prompt and the Ctrl-Z that ends the PDU. */
  private pendingSubmit: number | undefined;
  private messageReference = 0;

  constructor(private readonly write: (text: string) => void) {}

  /** A handset sends a message: its parts land in free SIM slots, as the network delivers them. */
  receive(from: string, text: string): number[] {
    return deliverPdus(from, text).map((pdu) => {
      const slot = this.freeSlot();
      this.storage.set(slot, { stat: 0, pdu });
      return slot;
    });
  }

  /** Messages still on the SIM: smsd deletes each one it has stored in its incoming folder. */
  get stored(): number {
    return this.storage.size;
  }

  feed(bytes: Buffer | string): void {
    this.input += typeof bytes === "string" ? bytes : bytes.toString("latin1");
    for (;;) {
      if (this.pendingSubmit !== undefined) {
        const ends = [this.input.indexOf(CTRL_Z), this.input.indexOf(ESC)].filter((at) => at >= 0);
        if (ends.length === 0) return;
        const end = Math.min(...ends);
        const terminator = this.input[end];
        const pdu = this.input.slice(0, end).trim();
        const announced = this.pendingSubmit;
        this.input = this.input.slice(end + 1);
        this.pendingSubmit = undefined;
        if (terminator === CTRL_Z) this.submit(pdu, announced);
        else if (terminator === ESC) this.respond([]);
        continue;
      }
      const end = this.input.indexOf("\r");
      if (end < 0) return;
      const line = this.input.slice(0, end).replace(/^\n+/, "").trim();
      this.input = this.input.slice(end + 1);
      if (line) this.command(line);
    }
  }

  private command(line: string): void {
    this.commands.push(line);
    const upper = line.toUpperCase();
    if (!upper.startsWith("AT")) {
      this.error();
      return;
    }
    // Several commands on one line ("AT+CMEE=1;+CREG=2"): their information lines in order,
    // then one final OK for the line, as a modem answers.
    const answers: string[] = [];
    for (const part of upper.slice(2).split(";")) {
      const result = this.answer(part.trim());
      if (result === "prompt") return;
      answers.push(...result);
    }
    this.respond(answers);
  }

  /** Information lines of one command, or "prompt" once +CMGS waits for its PDU. */
  private answer(command: string): string[] | "prompt" {
    const extended = /\+[A-Z]+.*$/.exec(command)?.[0] ?? "";
    if (extended.startsWith("+CMGS=")) {
      this.pendingSubmit = Number(extended.slice("+CMGS=".length));
      this.write("\r\n> ");
      return "prompt";
    }
    if (extended === "+CPIN?") return ["+CPIN: READY"];
    if (extended === "+CREG?") return ["+CREG: 0,1"];
    if (extended === "+CSQ") return ["+CSQ: 22,99"];
    if (extended === "+CMGF?") return ["+CMGF: 0"];
    if (extended === "+CSCA?") return [`+CSCA: "${SMSC}",145`];
    if (extended === "+COPS?") return ['+COPS: 0,0,"SIMULATED",0'];
    if (extended === "+CGSN" || extended === "+GSN") return ["356938035643809"];
    if (extended === "+CIMI") return ["510109876543210"];
    if (extended === "+CGMI" || extended === "+GMI") return ["iSIKHNAS"];
    if (extended === "+CGMM" || extended === "+GMM") return ["Simulated GSM modem"];
    if (extended === "+CGMR" || extended === "+GMR") return ["1.0"];
    if (extended === "+CPMS?") {
      const used = this.storage.size;
      return [
        `+CPMS: "SM",${used},${STORAGE_SLOTS},"SM",${used},${STORAGE_SLOTS},"SM",${used},${STORAGE_SLOTS}`,
      ];
    }
    if (extended.startsWith("+CPMS=")) {
      const used = this.storage.size;
      return [`+CPMS: ${used},${STORAGE_SLOTS},${used},${STORAGE_SLOTS},${used},${STORAGE_SLOTS}`];
    }
    if (extended.startsWith("+CMGL")) return this.list(extended);
    if (extended.startsWith("+CMGR=")) {
      const slot = Number(extended.slice("+CMGR=".length));
      const message = this.storage.get(slot);
      if (!message) return [];
      const lines = [`+CMGR: ${message.stat},,${message.pdu.length}`, message.pdu.hex];
      message.stat = 1;
      return lines;
    }
    if (extended.startsWith("+CMGD=")) {
      this.storage.delete(Number(extended.slice("+CMGD=".length).split(",")[0]));
      return [];
    }
    // Everything else smsd sends (ATE0, +CMEE, +CMGF=0, +CNMI, ...) only needs an OK.
    return [];
  }

  private list(command: string): string[] {
    // +CMGL=4 lists all, 0 unread, 1 read; the test form +CMGL=? the stats a modem knows.
    if (command === "+CMGL=?") return ["+CMGL: (0-4)"];
    const wanted = command.includes("=") ? Number(command.split("=")[1]) : 0;
    const lines: string[] = [];
    for (const [slot, message] of [...this.storage].sort(([a], [b]) => a - b)) {
      if (wanted !== 4 && message.stat !== wanted) continue;
      lines.push(`+CMGL: ${slot},${message.stat},,${message.pdu.length}`, message.pdu.hex);
      message.stat = 1;
    }
    return lines;
  }

  /** `announced`: the TPDU length AT+CMGS gave, which a modem holds the PDU to. */
  private submit(hex: string, announced: number): void {
    let part: SubmittedPart;
    try {
      if (tpduLength(hex) !== announced) throw new Error("length");
      part = decodeSubmit(hex);
    } catch {
      // A network answers an unreadable TPDU with "invalid PDU mode parameter".
      this.rejected.push(hex);
      this.write("\r\n+CMS ERROR: 304\r\n");
      return;
    }
    this.sent.push({ hex, part });
    this.messageReference = (this.messageReference + 1) % 256;
    this.respond([`+CMGS: ${this.messageReference}`]);
  }

  private respond(lines: string[]): void {
    this.write(`${lines.map((text) => `\r\n${text}`).join("")}\r\n\r\nOK\r\n`.replace(/^\r\n\r\n/, "\r\n"));
  }

  private error(): void {
    this.write("\r\nERROR\r\n");
  }

  private freeSlot(): number {
    for (let slot = 1; slot <= STORAGE_SLOTS; slot += 1) if (!this.storage.has(slot)) return slot;
    throw new Error("the simulated SIM is full");
  }
}
