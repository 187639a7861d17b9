// The user data every host runs once: the variables of this host, the settings writer, and
// host/setup.sh (Node.js, the release artefact, env files, systemd units). The scripts
// are shell files under infra/cdk/host/ so they can be read and linted as shell.
import { readFileSync } from "node:fs";
import { aws_ec2 as ec2 } from "aws-cdk-lib";
import type { DaemonSpec } from "../daemons.js";

// Same relative path from src/constructs/ and from dist/constructs/.
const hostDir = new URL("../../host/", import.meta.url);
const setupScript = readFileSync(new URL("setup.sh", hostDir), "utf8");
const writeEnvScript = readFileSync(new URL("write-env.sh", hostDir), "utf8");

/** Ubuntu 24.04 LTS: SSM agent preinstalled, and SMSTools3 is an apt package. */
export const UBUNTU_IMAGE_PARAMETER =
  "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id";

export function hostImage(region: string, imageId: string | undefined): ec2.IMachineImage {
  return imageId
    ? ec2.MachineImage.genericLinux({ [region]: imageId })
    : ec2.MachineImage.fromSsmParameter(UBUNTU_IMAGE_PARAMETER, { os: ec2.OperatingSystemType.LINUX });
}

export interface HostSetupOptions {
  region: string;
  /** Path of the daemons' settings parameters, ending in "/". */
  parameterPath: string;
  releaseBucket: string;
  releaseKey: string;
  nodeVersion: string;
  daemons: readonly DaemonSpec[];
  /** The shared host's AWS config: one profile per daemon that assumes its role. */
  awsConfig?: string;
  withSmstools: boolean;
  modemDevice?: string | undefined;
  /** The CloudWatch agent's configuration: this host's daemons' log files to their groups. */
  agentConfig: string;
}

/** Single-quoted for the shell (values are ours, but a quote must not end the string). */
function quoted(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function hostUserData(options: HostSetupOptions): ec2.UserData {
  const userData = ec2.UserData.forLinux();
  const variables: Record<string, string> = {
    ISIKHNAS_REGION: options.region,
    PARAMETER_PATH: options.parameterPath,
    RELEASE_BUCKET: options.releaseBucket,
    RELEASE_KEY: options.releaseKey,
    NODE_VERSION: options.nodeVersion,
    DAEMONS: options.daemons.map((daemon) => `${daemon.name}:${daemon.unit}`).join(" "),
    WITH_SMSTOOLS: options.withSmstools ? "yes" : "no",
    MODEM_DEVICE: options.modemDevice ?? "",
  };
  userData.addCommands(
    ...Object.entries(variables).map(([name, value]) => `${name}=${quoted(value)}`),
    "mkdir -p /etc/isikhnas",
    `cat >/tmp/isikhnas-write-env <<'ISIKHNAS_WRITE_ENV'\n${writeEnvScript}ISIKHNAS_WRITE_ENV`,
  );
  userData.addCommands(
    `cat >/etc/isikhnas/cloudwatch-agent.json <<'ISIKHNAS_CLOUDWATCH_AGENT'\n${options.agentConfig}\nISIKHNAS_CLOUDWATCH_AGENT`,
    "chmod 0644 /etc/isikhnas/cloudwatch-agent.json",
  );
  if (options.awsConfig) {
    userData.addCommands(
      `cat >/etc/isikhnas/aws-config <<'ISIKHNAS_AWS_CONFIG'\n${options.awsConfig}ISIKHNAS_AWS_CONFIG`,
      "chmod 0644 /etc/isikhnas/aws-config",
    );
  }
  userData.addCommands(setupScript);
  return userData;
}
