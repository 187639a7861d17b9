// A PostgreSQL 15 instance with its credentials in Secrets Manager and, optionally, a read
// replica that report queries use (DATABASE_READ_URL). Encrypted, private, TLS only.
import { Duration, aws_ec2 as ec2, RemovalPolicy, aws_rds as rds } from "aws-cdk-lib";
import { Construct } from "constructs";
import { databaseGroup } from "./network.js";

const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_15 });

/** Name of the application database inside the instance. */
export const DATABASE_NAME = "isikhnas";

export interface PostgresDatabaseProps {
  vpc: ec2.IVpc;
  /** Security groups of the hosts that may connect. */
  clients: readonly ec2.ISecurityGroup[];
  /** Secrets Manager name of the master credentials: `${prefix}database`. */
  secretName: string;
  instanceType: string;
  allocatedStorageGb: number;
  maxAllocatedStorageGb: number;
  multiAz: boolean;
  backupRetentionDays: number;
  deletionProtection: boolean;
  performanceInsights: boolean;
  /** Instance type of a read replica; none when unset. */
  replicaInstanceType?: string | undefined;
  /** wal_level=logical, for the training Sidecar's subscription to this database. */
  logicalReplication?: boolean;
}

export class PostgresDatabase extends Construct {
  readonly primary: rds.DatabaseInstance;
  readonly replica: rds.DatabaseInstanceReadReplica | undefined;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    this.securityGroup = databaseGroup(this, "SecurityGroup", props.vpc, props.clients);
    const subnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

    // Server-side ceilings. Daemons set tighter per-session timeouts (DB_STATEMENT_TIMEOUT_MS,
    // IMPORT_STATEMENT_TIMEOUT_MS); these catch a session that forgot to, or hangs in a transaction.
    const parameters = new rds.ParameterGroup(this, "Parameters", {
      engine,
      description: "iSIKHNAS primary: statement and idle-transaction ceilings, TLS only",
      parameters: {
        statement_timeout: "900000",
        idle_in_transaction_session_timeout: "600000",
        lock_timeout: "60000",
        "rds.force_ssl": "1",
        log_min_duration_statement: "5000",
        timezone: "Asia/Jakarta",
        ...(props.logicalReplication ? { "rds.logical_replication": "1" } : {}),
      },
    });

    this.primary = new rds.DatabaseInstance(this, "Primary", {
      engine,
      instanceType: new ec2.InstanceType(props.instanceType),
      vpc: props.vpc,
      vpcSubnets: subnets,
      securityGroups: [this.securityGroup],
      databaseName: DATABASE_NAME,
      credentials: rds.Credentials.fromGeneratedSecret("isikhnas", {
        secretName: props.secretName,
        // Characters that would need escaping in a postgres:// URL or a shell are left out.
        excludeCharacters: " %+~`#$&*()|[]{}:;<>?!'/@\"\\=,",
      }),
      parameterGroup: parameters,
      multiAz: props.multiAz,
      storageType: rds.StorageType.GP3,
      allocatedStorage: props.allocatedStorageGb,
      maxAllocatedStorage: props.maxAllocatedStorageGb,
      storageEncrypted: true,
      publiclyAccessible: false,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.deletionProtection ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      // Automated backups give point-in-time recovery; AWS Backup adds the 12-hourly points.
      backupRetention: Duration.days(props.backupRetentionDays),
      preferredBackupWindow: "17:00-18:00", // 00:00 WIB
      preferredMaintenanceWindow: "sun:18:30-sun:19:30",
      autoMinorVersionUpgrade: true,
      enablePerformanceInsights: props.performanceInsights,
      cloudwatchLogsExports: ["postgresql"],
      copyTagsToSnapshot: true,
    });

    if (props.replicaInstanceType) {
      // Reports run long queries on the replica: hot_standby_feedback keeps WAL replay from
      // cancelling them, and their ceiling is longer than the primary's.
      const replicaParameters = new rds.ParameterGroup(this, "ReplicaParameters", {
        engine,
        description: "iSIKHNAS read replica: long report queries",
        parameters: {
          statement_timeout: "1800000",
          idle_in_transaction_session_timeout: "600000",
          hot_standby_feedback: "1",
          "rds.force_ssl": "1",
          log_min_duration_statement: "30000",
          timezone: "Asia/Jakarta",
        },
      });
      this.replica = new rds.DatabaseInstanceReadReplica(this, "Replica", {
        sourceDatabaseInstance: this.primary,
        instanceType: new ec2.InstanceType(props.replicaInstanceType),
        vpc: props.vpc,
        vpcSubnets: subnets,
        securityGroups: [this.securityGroup],
        parameterGroup: replicaParameters,
        storageType: rds.StorageType.GP3,
        publiclyAccessible: false,
        deletionProtection: props.deletionProtection,
        removalPolicy: props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        autoMinorVersionUpgrade: true,
        enablePerformanceInsights: props.performanceInsights,
      });
    }
  }
}
