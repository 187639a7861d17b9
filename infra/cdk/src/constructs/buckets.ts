// The five buckets under the deployment prefix: private, encrypted, TLS only, each with
// a lifecycle that matches how long its objects matter.
import { BUCKETS, type BucketName, physicalBucketName } from "@isikhnas/platform";
import { Duration, RemovalPolicy, aws_s3 as s3 } from "aws-cdk-lib";
import { Construct } from "constructs";

interface BucketPolicy {
  versioned: boolean;
  rules: s3.LifecycleRule[];
}

const abortUploads: s3.LifecycleRule = {
  id: "abort-incomplete-uploads",
  abortIncompleteMultipartUploadAfter: Duration.days(7),
};

/**
 * Why each lifecycle: anything a queue message points at must outlive the dead-letter
 * queue's 14 days, so a redrive finds its objects.
 */
const POLICIES: Record<BucketName, BucketPolicy> = {
  // Incoming workbooks: imported within minutes; 90 days leaves room to re-import or investigate.
  queuefiles: {
    versioned: false,
    rules: [abortUploads, { id: "expire-90-days", expiration: Duration.days(90) }],
  },
  // Answers and error workbooks to send: sent within minutes, kept 30 days for redrives and questions.
  emailattachments: {
    versioned: false,
    rules: [abortUploads, { id: "expire-30-days", expiration: Duration.days(30) }],
  },
  // Generated reports: users download them for a year; older ones are regenerated from data.
  reports: {
    versioned: false,
    rules: [
      abortUploads,
      {
        id: "infrequent-after-30-days-expire-after-a-year",
        transitions: [
          { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
        ],
        expiration: Duration.days(365),
      },
    ],
  },
  // Photos attached to cases are part of the case record: kept, moved to cheaper storage as they age.
  images: {
    versioned: true,
    rules: [
      abortUploads,
      {
        id: "archive-as-they-age",
        transitions: [
          { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) },
          { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(365) },
        ],
        noncurrentVersionExpiration: Duration.days(90),
      },
    ],
  },
  // Every inbound mail as received: evidence for 90 days (versioned so nothing overwrites it).
  rawmail: {
    versioned: true,
    rules: [
      abortUploads,
      {
        id: "expire-90-days",
        transitions: [
          { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
        ],
        expiration: Duration.days(90),
        noncurrentVersionExpiration: Duration.days(30),
      },
    ],
  },
};

export class DataBuckets extends Construct {
  readonly buckets: Record<BucketName, s3.Bucket>;

  constructor(scope: Construct, id: string, props: { prefix: string; retain: boolean }) {
    super(scope, id);
    const entries = BUCKETS.map((name) => {
      const policy = POLICIES[name];
      const bucket = new s3.Bucket(this, name, {
        bucketName: physicalBucketName(props.prefix, name),
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        versioned: policy.versioned,
        lifecycleRules: policy.rules,
        removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      return [name, bucket] as const;
    });
    this.buckets = Object.fromEntries(entries) as Record<BucketName, s3.Bucket>;
  }
}
