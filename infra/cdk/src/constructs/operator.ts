// The operators' own role on the messaging host, for the `isikhnas` command and its web
// console: read every queue's depth, peek and redrive dead letters, ask for reports, read
// queue ages from CloudWatch, reach the primary, and read the console's password. A profile
// in /etc/isikhnas/aws-config (`ops`) and a settings document let `isikhnas-write-env ops`
// write /etc/isikhnas/ops.env as it does for the daemons.
import type { QueueName } from "@isikhnas/platform";
import { aws_iam as iam, aws_secretsmanager as secrets, type aws_sqs as sqs } from "aws-cdk-lib";
import { Construct } from "constructs";
import { DaemonSettings, type DatabaseRef } from "./daemon-settings.js";

/** The profile, role suffix and env file name of the operators' settings. */
export const OPERATOR_PROFILE = "ops";

export interface OperatorAccessProps {
  prefix: string;
  parameterPath: string;
  region: string;
  queues: Record<QueueName, sqs.IQueue>;
  deadLetterQueues: Record<QueueName, sqs.IQueue>;
  /** Where DATABASE_URL points (the live primary) and the secret that holds its credentials. */
  database: { ref: DatabaseRef; secret: secrets.ISecret };
  /** The messaging host's role, which becomes this one through the `ops` profile. */
  assumedBy: iam.IRole;
  /** `name=url` of the daemons on the messaging host, for the console's Daemons page. */
  daemonUrls: string[];
}

export class OperatorAccess extends Construct {
  readonly role: iam.Role;
  readonly settings: DaemonSettings;
  /** `{"password": …}`, generated at the first deploy; rotate it by putting a new value. */
  readonly consoleSecret: secrets.Secret;

  constructor(scope: Construct, id: string, props: OperatorAccessProps) {
    super(scope, id);
    this.consoleSecret = new secrets.Secret(this, "ConsoleSecret", {
      secretName: `${props.prefix}console`,
      description: "Password of the ops console (isikhnas console): {password}",
      generateSecretString: {
        secretStringTemplate: "{}",
        generateStringKey: "password",
        passwordLength: 32,
        excludePunctuation: true,
      },
    });
    this.settings = new DaemonSettings(this, "Settings", {
      parameterName: `${props.parameterPath}${OPERATOR_PROFILE}`,
      daemon: { name: OPERATOR_PROFILE },
      document: {
        env: {
          ISIKHNAS_ENV: "live",
          AWS_REGION: props.region,
          RESOURCE_PREFIX: props.prefix,
          AWS_CONFIG_FILE: "/etc/isikhnas/aws-config",
          AWS_PROFILE: OPERATOR_PROFILE,
          CONSOLE_DAEMON_URLS: props.daemonUrls.join(","),
          CONSOLE_QUEUE_AGE_SOURCE: "cloudwatch",
          LOG_LEVEL: "info",
        },
        databases: { DATABASE_URL: props.database.ref },
        secrets: { CONSOLE_PASSWORD: { secret: this.consoleSecret.secretArn, key: "password" } },
      },
    });

    this.role = new iam.Role(this, "Role", {
      roleName: `${props.prefix}${OPERATOR_PROFILE}`,
      description: "iSIKHNAS operators: queue depths, dead letters and redrive, report requests, queue ages",
      assumedBy: new iam.ArnPrincipal(props.assumedBy.roleArn),
    });
    const queues = Object.values(props.queues);
    const deadLetters = Object.values(props.deadLetterQueues);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["sqs:GetQueueUrl", "sqs:GetQueueAttributes"],
        resources: [...queues, ...deadLetters].map((queue) => queue.queueArn),
      }),
    );
    // A redrive sends a dead letter back to its queue; `report run` asks on reportrequest.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["sqs:SendMessage"],
        resources: queues.map((queue) => queue.queueArn),
      }),
    );
    // Peeking receives and puts back at once; a redrive deletes what it has sent on.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage"],
        resources: deadLetters.map((queue) => queue.queueArn),
      }),
    );
    // GetMetricData takes no resource: the console reads ApproximateAgeOfOldestMessage with it.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["cloudwatch:GetMetricData"], resources: ["*"] }),
    );
    this.settings.parameter.grantRead(this.role);
    this.consoleSecret.grantRead(this.role);
    props.database.secret.grantRead(this.role);
    // Queues encrypted with a customer key would need kms:Decrypt/GenerateDataKey here too;
    // WorkQueues uses SQS-managed encryption, which needs no grant.
  }

  /** The `ops` profile for /etc/isikhnas/aws-config. */
  awsConfigProfile(): string {
    return `[profile ${OPERATOR_PROFILE}]\nrole_arn = ${this.role.roleArn}\ncredential_source = Ec2InstanceMetadata\nrole_session_name = ${OPERATOR_PROFILE}\n`;
  }
}
