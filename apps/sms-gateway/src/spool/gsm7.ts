// Whether a text fits the GSM 7-bit default alphabet, which decides between a plain
// outgoing file and `Alphabet: UCS2`; the table lives with the replies that keep to it.
export { gsm7Length, isGsm7 } from "@isikhnas/domain";
