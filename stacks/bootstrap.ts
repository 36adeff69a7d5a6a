/**
 * `<env>-bootstrap`: once per account, local state. The Terraform state bucket every other stack
 * keeps its state in (versioned, encrypted, private, TLS-only; S3 native lockfiles need no
 * DynamoDB table), and the backup bucket teardowns copy data into, which must outlive them.
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { PlatformStack, PlatformStackProps } from "./platform-stack";
import { StorageClass, TieredBucket } from "../modules/tiered-bucket";

export class BootstrapStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "bootstrap", props);
    const n = this.names;
    const state = new TieredBucket(this, "StateBucket", {
      bucketName: n.stateBucket,
      // Old state versions are the undo of a bad apply: keep them a quarter.
      noncurrentVersionExpireAfterDays: 90,
      forceDestroy: this.config.name === "sandbox",
    });
    const backup = new TieredBucket(this, "BackupBucket", {
      bucketName: n.backupBucket,
      rules: [
        {
          id: "backups-age-out",
          prefix: `${this.config.name}/`,
          transitions: [{ days: 30, storageClass: StorageClass.GLACIER_IR }],
          expireAfterDays: 365,
        },
      ],
      forceDestroy: this.config.name === "sandbox",
    });
    new TerraformOutput(this, "state_bucket", { value: state.bucket.bucket });
    new TerraformOutput(this, "backup_bucket", { value: backup.bucket.bucket });
  }
}
