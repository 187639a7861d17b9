// SQS and S3 (fauxqs) and SES (aws-ses-v2-local) emulated in this process, reached through
// the real AWS SDK clients on loopback.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import sesLocal from "aws-ses-v2-local";
import { startFauxqs } from "fauxqs";

export interface RunningEmulators {
  /** SQS and S3 endpoint. */
  awsEndpoint: string;
  /** SES endpoint; GET /store lists sent mail, / is a viewer. */
  sesEndpoint: string;
  stop(): Promise<void>;
}

export interface StartEmulatorsOptions {
  host?: string;
  awsPort?: number;
  sesPort?: number;
}

export async function startEmulators(options: StartEmulatorsOptions = {}): Promise<RunningEmulators> {
  const host = options.host ?? "127.0.0.1";
  const fauxqs = await startFauxqs({ port: options.awsPort ?? 0, host, logger: false });
  // The package is CommonJS; in ESM its function may sit on `default`.
  type StartSes = (config?: { host?: string; port?: number }) => Promise<Server>;
  const module = sesLocal as unknown as StartSes & { default?: StartSes };
  const startSes: StartSes = module.default ?? module;
  const ses: Server = await startSes({ host, port: options.sesPort ?? 0 });
  const sesPort = (ses.address() as AddressInfo).port;
  return {
    awsEndpoint: `http://${host}:${fauxqs.port}`,
    sesEndpoint: `http://${host}:${sesPort}`,
    async stop() {
      await new Promise<void>((resolve) => {
        ses.close(() => resolve());
        ses.closeAllConnections();
      });
      await fauxqs.stop();
    },
  };
}
