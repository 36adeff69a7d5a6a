/**
 * SageMaker model + endpoint config + endpoint. Serverless (pay per request, nothing when idle)
 * or real-time with Application Auto Scaling on InvocationsPerInstance. The endpoint may be
 * tagged for the out-of-hours scheduler, which deletes it at night and recreates it from the
 * recorded config in the morning (configs and models are never deleted).
 */
import { Construct } from "constructs";
import { SagemakerModel } from "@cdktf/provider-aws/lib/sagemaker-model";
import { SagemakerEndpointConfiguration } from "@cdktf/provider-aws/lib/sagemaker-endpoint-configuration";
import { SagemakerEndpoint } from "@cdktf/provider-aws/lib/sagemaker-endpoint";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
/** Pay per request, nothing when idle. */
export interface ServerlessEndpointProps {
  readonly mode: "serverless";
  readonly memorySizeInMb: number;
  readonly maxConcurrency: number;
}

/** Instances behind Application Auto Scaling on InvocationsPerInstance. */
export interface RealtimeEndpointProps {
  readonly mode: "realtime";
  readonly instanceType: string;
  readonly initialInstanceCount: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Application Auto Scaling target for SageMakerVariantInvocationsPerInstance. */
  readonly targetInvocationsPerInstance: number;
}

export interface SageMakerEndpointProps {
  readonly modelName: string;
  readonly endpointName: string;
  readonly endpointConfigName: string;
  readonly image: string;
  readonly modelDataUrl: string;
  readonly executionRoleArn: string;
  readonly endpoint: ServerlessEndpointProps | RealtimeEndpointProps;
  /** Encrypts instance storage; real-time only (serverless configs reject a key). */
  readonly kmsKeyArn?: string;
  /** @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

const VARIANT = "AllTraffic";

export class SageMakerEndpoint extends Construct {
  readonly model: SagemakerModel;
  readonly config: SagemakerEndpointConfiguration;
  readonly endpoint: SagemakerEndpoint;

  constructor(scope: Construct, id: string, props: SageMakerEndpointProps) {
    super(scope, id);
    const ep = props.endpoint;
    this.model = new SagemakerModel(this, "Model", {
      name: props.modelName,
      executionRoleArn: props.executionRoleArn,
      enableNetworkIsolation: true,
      primaryContainer: { image: props.image, modelDataUrl: props.modelDataUrl },
    });
    this.config = new SagemakerEndpointConfiguration(this, "Config", {
      name: props.endpointConfigName,
      kmsKeyArn: ep.mode === "realtime" ? props.kmsKeyArn : undefined,
      productionVariants: [
        ep.mode === "serverless"
          ? {
              variantName: VARIANT,
              modelName: this.model.name,
              serverlessConfig: { memorySizeInMb: ep.memorySizeInMb, maxConcurrency: ep.maxConcurrency },
            }
          : { variantName: VARIANT, modelName: this.model.name, instanceType: ep.instanceType, initialInstanceCount: ep.initialInstanceCount },
      ],
    });
    this.endpoint = new SagemakerEndpoint(this, "Resource", {
      name: props.endpointName,
      endpointConfigName: this.config.name,
      tags: props.tags ? { ...props.tags } : undefined,
    });

    if (ep.mode === "realtime") {
      const target = new AppautoscalingTarget(this, "ScalingTarget", {
        serviceNamespace: "sagemaker",
        resourceId: `endpoint/${props.endpointName}/variant/${VARIANT}`,
        scalableDimension: "sagemaker:variant:DesiredInstanceCount",
        minCapacity: ep.minCapacity,
        maxCapacity: ep.maxCapacity,
        dependsOn: [this.endpoint],
      });
      new AppautoscalingPolicy(this, "ScalingPolicy", {
        name: `${props.endpointName}-invocations`,
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        resourceId: target.resourceId,
        scalableDimension: target.scalableDimension,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: ep.targetInvocationsPerInstance,
          predefinedMetricSpecification: { predefinedMetricType: "SageMakerVariantInvocationsPerInstance" },
          scaleInCooldown: 300,
          scaleOutCooldown: 60,
        },
      });
    }
  }
}
