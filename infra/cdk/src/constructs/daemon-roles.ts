// One IAM role per daemon, granting exactly what the catalogue says it touches: the queues
// it receives from and sends to, the bucket prefixes it reads and writes, its own settings
// parameter, the secrets named in it, and SES sending (From pinned) for email-sender alone.
import type { BucketName, QueueName } from "@isikhnas/platform";
import {
  aws_iam as iam,
  type aws_s3 as s3,
  type aws_secretsmanager as secrets,
  type aws_sqs as sqs,
  type aws_ssm as ssm,
} from "aws-cdk-lib";
import { Construct } from "constructs";
import type { DaemonSpec } from "../daemons.js";

export interface DaemonRoleProps {
  roleName: string;
  daemon: DaemonSpec;
  /** Who may use the role: an EC2 instance (a host with this daemon alone) or the shared host's role. */
  assumedBy: iam.IPrincipal;
  queues: Record<QueueName, sqs.IQueue>;
  buckets: Record<BucketName, s3.IBucket>;
  settingsParameter: ssm.IStringParameter;
  /** Every secret the daemon's settings name (database credentials, bot tokens). */
  secrets: readonly secrets.ISecret[];
  mail: { identityArn: string; configurationSetArn: string; fromAddress: string };
}

export class DaemonRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: DaemonRoleProps) {
    super(scope, id);
    const { daemon } = props;
    this.role = new iam.Role(this, "Role", {
      roleName: props.roleName,
      description: `iSIKHNAS ${daemon.name}: its queues, bucket prefixes, settings and secrets only`,
      assumedBy: props.assumedBy,
    });
    const role = this.role;

    for (const queue of daemon.receives) props.queues[queue].grantConsumeMessages(role);
    for (const queue of daemon.sends) props.queues[queue].grantSendMessages(role);

    for (const grant of daemon.reads) {
      const bucket = props.buckets[grant.bucket];
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ["s3:GetObject"],
          resources: [bucket.arnForObjects(`${grant.prefix}*`)],
        }),
      );
      // Without ListBucket a missing object answers 403, not 404, and looks like a fault.
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ["s3:ListBucket"],
          resources: [bucket.bucketArn],
          ...(grant.prefix === ""
            ? {}
            : { conditions: { StringLike: { "s3:prefix": [`${grant.prefix}*`] } } }),
        }),
      );
    }
    for (const grant of daemon.writes) {
      const bucket = props.buckets[grant.bucket];
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ["s3:PutObject", "s3:AbortMultipartUpload", ...(grant.delete ? ["s3:DeleteObject"] : [])],
          resources: [bucket.arnForObjects(`${grant.prefix}*`)],
        }),
      );
    }

    props.settingsParameter.grantRead(role);
    for (const secret of props.secrets) secret.grantRead(role);

    if (daemon.sendsMail) {
      // The mailer calls SES v2 SendEmail with raw content, authorised as ses:SendEmail;
      // ses:SendRawEmail covers the v1 API. Both only from the configured address.
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ["ses:SendRawEmail", "ses:SendEmail"],
          resources: [props.mail.identityArn, props.mail.configurationSetArn],
          conditions: { StringEquals: { "ses:FromAddress": props.mail.fromAddress } },
        }),
      );
    }
  }
}
