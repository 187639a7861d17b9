// The simulated modem behind a pseudo-terminal: socat creates the pty (its slave linked at
// `device`, where smsd opens it as a serial port) and relays it to its own standard input
// and output, which are pipes to this process and the GsmModem that answers.
import { spawn } from "node:child_process";
import { stopProcess } from "../process.js";
import { GsmModem } from "./gsm-modem.js";

export interface PtyModem {
  modem: GsmModem;
  /** The serial device smsd opens. */
  device: string;
  close(): Promise<void>;
}

export async function startPtyModem(device: string): Promise<PtyModem> {
  const socat = spawn("socat", ["-d", "-d", `pty,raw,echo=0,link=${device}`, "STDIO"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let log = "";
  const ready = new Promise<void>((resolve, reject) => {
    socat.on("error", reject);
    socat.once("exit", (code, signal) => reject(new Error(`socat exited (${code ?? signal}): ${log}`)));
    socat.stderr.setEncoding("latin1");
    socat.stderr.on("data", (chunk: string) => {
      log += chunk;
      // The link exists from here on: socat has made the pty and relays it.
      if (log.includes("starting data transfer loop")) resolve();
    });
  });
  const modem = new GsmModem((text) => socat.stdin.write(text, "latin1"));
  socat.stdout.on("data", (chunk: Buffer) => modem.feed(chunk));
  // A write after smsd let go of the pty, or after close, is of no interest to anyone.
  socat.stdin.on("error", () => {});
  try {
    await ready;
  } catch (error) {
    await stopProcess(socat);
    throw error;
  }
  return { modem, device, close: () => stopProcess(socat) };
}
