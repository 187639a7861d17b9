// The VPC over two availability zones and the security groups between its tiers: the
// messaging host in a public subnet, the processing and reporting hosts and PostgreSQL in
// private ones. No group opens SSH; hosts are reached through SSM Session Manager.
import { aws_ec2 as ec2 } from "aws-cdk-lib";
import { Construct } from "constructs";

/** Health and metrics ports of the daemons (HTTP_PORT), 9400–9409. */
export const DAEMON_PORTS = ec2.Port.tcpRange(9400, 9409);
export const POSTGRES_PORT = 5432;

export interface NetworkProps {
  cidr: string;
  natGateways: number;
}

export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  readonly messagingHosts: ec2.SecurityGroup;
  readonly processingHosts: ec2.SecurityGroup;
  readonly reportingHosts: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, "Vpc", {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      maxAzs: 2,
      natGateways: props.natGateways,
      subnetConfiguration: [
        { name: "public", subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: "private", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
    });
    // Buckets are the heaviest traffic (workbooks, reports, raw mail): keep it off the NAT.
    this.vpc.addGatewayEndpoint("S3", { service: ec2.GatewayVpcEndpointAwsService.S3 });

    this.messagingHosts = this.hostGroup(
      "MessagingHosts",
      "messaging host: email-ingest, email-sender, sms-gateway, im-bridge",
    );
    this.processingHosts = this.hostGroup("ProcessingHosts", "processing hosts: excel-processor");
    this.reportingHosts = this.hostGroup("ReportingHosts", "reporting hosts: report-generator");
  }

  /** The groups whose hosts may reach PostgreSQL. */
  get appHosts(): ec2.SecurityGroup[] {
    return [this.messagingHosts, this.processingHosts, this.reportingHosts];
  }

  private hostGroup(id: string, description: string): ec2.SecurityGroup {
    // Outbound stays open: AWS APIs, Telegram, the modem server, package mirrors.
    const group = new ec2.SecurityGroup(this, id, { vpc: this.vpc, description, allowAllOutbound: true });
    group.addIngressRule(
      ec2.Peer.ipv4(this.vpc.vpcCidrBlock),
      DAEMON_PORTS,
      "health and metrics from inside the VPC",
    );
    return group;
  }
}

/** A security group for a PostgreSQL instance that admits the given app hosts only. */
export function databaseGroup(
  scope: Construct,
  id: string,
  vpc: ec2.IVpc,
  clients: readonly ec2.ISecurityGroup[],
): ec2.SecurityGroup {
  const group = new ec2.SecurityGroup(scope, id, {
    vpc,
    description: "PostgreSQL: app hosts only",
    allowAllOutbound: false,
  });
  for (const client of clients) {
    group.addIngressRule(client, ec2.Port.tcp(POSTGRES_PORT), "PostgreSQL from app hosts");
  }
  return group;
}
