/**
 * The environment's alert topic: KMS-encrypted SNS that only budgets, Cost Anomaly Detection,
 * CloudWatch alarms and EventBridge rules (a failed compute-lifetime build) may publish to, with
 * e-mail subscribers. Principals of the account publish through their own IAM policy (the ops
 * CLI's scheduled runs do).
 *
 *   const alerts = new AlertTopic(this, "Alerts", { topicName: "retail-forecast-dev-alerts",
 *     accountId: "111111111111", emails: ["ops@example.com"] });
 */
import { Construct } from "constructs";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { keyPolicy } from "./kms";

/** The AWS services that alert: budgets, Cost Anomaly Detection, CloudWatch alarms, EventBridge rules. The only service publishers. */
export const ALERTING_SERVICES = ["budgets.amazonaws.com", "costalerts.amazonaws.com", "cloudwatch.amazonaws.com", "events.amazonaws.com"];

export interface AlertTopicProps {
  readonly topicName: string;
  readonly accountId: string;
  readonly emails: readonly string[];
}

export class AlertTopic extends Construct {
  readonly topic: SnsTopic;
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    if (props.emails.length === 0) throw new Error("emails must name at least one subscriber");
    this.key = new KmsKey(this, "Key", {
      description: `${props.topicName}: encrypts alert messages`,
      enableKeyRotation: true,
      deletionWindowInDays: 7,
      policy: keyPolicy(props.accountId, [
          {
            // Services publishing to an encrypted topic need the key; the AWS-managed SNS key refuses them.
            Sid: "AlertingServicesEncrypt",
            Effect: "Allow",
            Principal: { Service: ALERTING_SERVICES },
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
          },
        ]),
    });
    new KmsAlias(this, "KeyAlias", { name: `alias/${props.topicName}`, targetKeyId: this.key.keyId });
    this.topic = new SnsTopic(this, "Resource", { name: props.topicName, kmsMasterKeyId: this.key.arn });
    new SnsTopicPolicy(this, "Policy", {
      arn: this.topic.arn,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AlertingServicesPublish",
            Effect: "Allow",
            Principal: { Service: ALERTING_SERVICES },
            Action: "sns:Publish",
            Resource: this.topic.arn,
            Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
          },
        ],
      }),
    });
    props.emails.forEach((email) => {
      new SnsTopicSubscription(this, `Email-${email}`, { topicArn: this.topic.arn, protocol: "email", endpoint: email });
    });
  }
}
