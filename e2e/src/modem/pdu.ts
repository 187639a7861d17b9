// SMS PDUs as a GSM modem sees them (3GPP TS 23.040): SMS-DELIVER for a message a handset
// sends to the SIM, SMS-SUBMIT for what smsd hands the modem to send. node-pdu does the
// encoding; this module only adds what the AT layer needs (TPDU length, concatenation).
import { Deliver, parse, Submit } from "node-pdu";

/** The SMS centre the simulated SIM belongs to. */
export const SMSC = "+6281100000";

export interface DeliverPdu {
  /** The PDU as AT+CMGR and AT+CMGL list it: SMSC address first, hex. */
  hex: string;
  /** Octets after the SMSC address: the length +CMGR/+CMGL report. */
  length: number;
}

/** The SMS-DELIVER PDUs of a message from `from` (international, without "+"): one per part. */
export function deliverPdus(from: string, text: string, sentAt: Date = new Date()): DeliverPdu[] {
  const deliver = new Deliver(`+${from}`, text);
  deliver.setServiceCenterAddress(SMSC);
  deliver.setServiceCenterTimeStamp(sentAt);
  return deliver.getPartStrings().map((hex) => ({ hex, length: tpduLength(hex) }));
}

/** The TPDU's octets: all of them less the SMSC address (its length octet and what it counts). */
export function tpduLength(hex: string): number {
  const smscOctets = Number.parseInt(hex.slice(0, 2), 16);
  return hex.length / 2 - 1 - smscOctets;
}

export interface SubmittedPart {
  to: string;
  /** 145 for an international number, 129 for an unknown type. */
  numberType: number;
  text: string;
  unicode: boolean;
  /** Concatenation: this part's number and the total, 1 of 1 for a single message. */
  part: number;
  parts: number;
  /** The concatenation reference, undefined for a single message. */
  reference: number | undefined;
}

/** Reads an SMS-SUBMIT PDU as smsd sends it after AT+CMGS. */
export function decodeSubmit(hex: string): SubmittedPart {
  const pdu = parse(hex);
  if (!(pdu instanceof Submit)) throw new Error(`not an SMS-SUBMIT PDU: ${hex}`);
  const header = pdu.data.parts[0]?.header;
  return {
    to: pdu.address.phone ?? "",
    numberType: pdu.address.type.getValue(),
    text: pdu.data.getText(),
    unicode: pdu.data.isUnicode,
    part: header?.getCurrent() ?? 1,
    parts: header?.getSegments() ?? 1,
    reference: header?.getPointer(),
  };
}

/** Joins the parts of one message (any order) into its text; throws when a part is missing. */
export function joinParts(parts: readonly SubmittedPart[]): string {
  const [first] = parts;
  if (!first) return "";
  const ordered = [...parts].sort((a, b) => a.part - b.part);
  if (ordered.length !== first.parts || ordered.some((part, index) => part.part !== index + 1)) {
    throw new Error(`parts ${ordered.map((part) => part.part).join(",")} of ${first.parts}`);
  }
  return ordered.map((part) => part.text).join("");
}
