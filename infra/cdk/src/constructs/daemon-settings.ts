// A daemon's settings as one SSM parameter: a JSON document that isikhnas-write-env turns
// into /etc/isikhnas/<daemon>.env on its host. Plain settings are inline; credentials are
// named (secret ARNs or names) and read at write time, so no secret sits in a parameter.
import { Stack, aws_ssm as ssm } from "aws-cdk-lib";
import { Construct } from "constructs";
import type { DaemonSpec } from "../daemons.js";

export interface DatabaseRef {
  /** Secret (ARN or name) of RDS credentials: username, password, host, port, dbname. */
  secret: string;
  /** Host to connect to instead of the secret's (a read replica). */
  host?: string;
}

export interface SecretRef {
  secret: string;
  /** Key of the value inside the secret's JSON. */
  key: string;
}

export interface DaemonSettingsDocument {
  env: Record<string, string>;
  databases: Record<string, DatabaseRef>;
  secrets: Record<string, SecretRef>;
}

export interface DaemonSettingsProps {
  parameterName: string;
  /** Whose settings: a daemon, or the operators' `ops` profile. */
  daemon: Pick<DaemonSpec, "name">;
  document: DaemonSettingsDocument;
}

export class DaemonSettings extends Construct {
  readonly parameter: ssm.StringParameter;
  readonly document: DaemonSettingsDocument;

  constructor(scope: Construct, id: string, props: DaemonSettingsProps) {
    super(scope, id);
    this.document = props.document;
    this.parameter = new ssm.StringParameter(this, "Parameter", {
      parameterName: props.parameterName,
      description: `Settings of ${props.daemon.name}, rendered to /etc/isikhnas/${props.daemon.name}.env`,
      stringValue: Stack.of(this).toJsonString(props.document),
      tier: ssm.ParameterTier.STANDARD,
    });
  }
}
