// The EC2 hosts: the messaging host (one instance, public subnet, fixed address) running
// several daemons, and Auto Scaling groups in private subnets running one daemon each
// that grow and shrink with their queue's backlog per instance.
import {
  Aws,
  aws_autoscaling as autoscaling,
  Duration,
  aws_ec2 as ec2,
  aws_iam as iam,
  type aws_sqs as sqs,
} from "aws-cdk-lib";
import { Construct } from "constructs";

const ssmManaged = iam.ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore");

function rootVolume(): ec2.BlockDevice {
  return {
    deviceName: "/dev/sda1",
    volume: ec2.BlockDeviceVolume.ebs(30, { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true }),
  };
}

/** Session Manager instead of SSH, and the release artefact: what every host role needs. */
export function grantHostBasics(role: iam.IRole, release: { bucket: string; key: string }): void {
  role.addManagedPolicy(ssmManaged);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ["s3:GetObject"],
      resources: [`arn:${Aws.PARTITION}:s3:::${release.bucket}/${release.key}`],
    }),
  );
}

export interface MessagingHostProps {
  vpc: ec2.IVpc;
  securityGroup: ec2.ISecurityGroup;
  instanceType: string;
  image: ec2.IMachineImage;
  role: iam.IRole;
  userData: ec2.UserData;
}

export class MessagingHost extends Construct {
  readonly instance: ec2.Instance;
  readonly address: ec2.CfnEIP;

  constructor(scope: Construct, id: string, props: MessagingHostProps) {
    super(scope, id);
    this.instance = new ec2.Instance(this, "Instance", {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: props.securityGroup,
      instanceType: new ec2.InstanceType(props.instanceType),
      machineImage: props.image,
      role: props.role,
      userData: props.userData,
      requireImdsv2: true,
      blockDevices: [rootVolume()],
      // No key pair: operators connect with `aws ssm start-session`.
    });
    // A fixed address the modem server's (or relay's) firewall can admit, kept across replacements.
    this.address = new ec2.CfnEIP(this, "Address", { domain: "vpc", instanceId: this.instance.instanceId });
  }
}

export interface DaemonGroupProps {
  vpc: ec2.IVpc;
  securityGroup: ec2.ISecurityGroup;
  instanceType: string;
  image: ec2.IMachineImage;
  role: iam.IRole;
  userData: ec2.UserData;
  minInstances: number;
  maxInstances: number;
  /** The queue whose backlog drives the group. */
  queue: sqs.IQueue;
  /** Visible messages per in-service instance the group aims at. */
  backlogPerInstance: number;
}

export class DaemonGroup extends Construct {
  readonly group: autoscaling.AutoScalingGroup;
  readonly scaling: autoscaling.CfnScalingPolicy;

  constructor(scope: Construct, id: string, props: DaemonGroupProps) {
    super(scope, id);
    if (props.minInstances > props.maxInstances) {
      throw new Error(`${id}: at least ${props.minInstances} instances but at most ${props.maxInstances}`);
    }
    const template = new ec2.LaunchTemplate(this, "LaunchTemplate", {
      instanceType: new ec2.InstanceType(props.instanceType),
      machineImage: props.image,
      role: props.role,
      securityGroup: props.securityGroup,
      userData: props.userData,
      requireImdsv2: true,
      blockDevices: [rootVolume()],
    });
    this.group = new autoscaling.AutoScalingGroup(this, "Group", {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      launchTemplate: template,
      minCapacity: props.minInstances,
      maxCapacity: props.maxInstances,
      // GroupInServiceInstances is the divisor of the backlog per instance.
      groupMetrics: [new autoscaling.GroupMetrics(autoscaling.GroupMetric.IN_SERVICE_INSTANCES)],
      healthChecks: autoscaling.HealthChecks.ec2({ gracePeriod: Duration.minutes(10) }),
      // A new launch template (release, AMI) rolls through the group one instance at a time.
      updatePolicy: autoscaling.UpdatePolicy.rollingUpdate({
        maxBatchSize: 1,
        // CloudFormation wants fewer than the maximum kept in service during the roll.
        minInstancesInService: Math.min(props.minInstances, props.maxInstances - 1),
      }),
      // Instances drain on SIGTERM (stop receiving, finish or release what they hold).
      defaultInstanceWarmup: Duration.minutes(5),
    });

    // Target tracking on backlog per instance, as AWS documents it ("Scaling based on Amazon
    // SQS"): visible messages / instances in service. CDK's TargetTrackingScalingPolicy takes a
    // single metric only, so the metric-math form is written as the CloudFormation resource.
    this.scaling = new autoscaling.CfnScalingPolicy(this, "BacklogPerInstance", {
      autoScalingGroupName: this.group.autoScalingGroupName,
      policyType: "TargetTrackingScaling",
      estimatedInstanceWarmup: 300,
      targetTrackingConfiguration: {
        targetValue: props.backlogPerInstance,
        customizedMetricSpecification: {
          metrics: [
            {
              id: "visible",
              label: "Messages waiting",
              returnData: false,
              metricStat: {
                metric: {
                  namespace: "AWS/SQS",
                  metricName: "ApproximateNumberOfMessagesVisible",
                  dimensions: [{ name: "QueueName", value: props.queue.queueName }],
                },
                stat: "Sum",
              },
            },
            {
              id: "inService",
              label: "Instances in service",
              returnData: false,
              metricStat: {
                metric: {
                  namespace: "AWS/AutoScaling",
                  metricName: "GroupInServiceInstances",
                  dimensions: [{ name: "AutoScalingGroupName", value: this.group.autoScalingGroupName }],
                },
                stat: "Average",
              },
            },
            {
              id: "backlogPerInstance",
              label: "Backlog per instance",
              expression: "visible / inService",
              returnData: true,
            },
          ],
        },
      },
    });
  }
}
