/**
 * Every pricer, in the order the estimate lists their components. Adding a resource type is a
 * new file beside these and one line here (cost/README.md, "Adding a resource type").
 */
import { Pricer } from "../pricer";
import { ecrRepository } from "./ecr";
import { eksCluster } from "./eks-cluster";
import { eksNodeGroup } from "./eks-node-group";
import { loadBalancer } from "./load-balancer";
import { logGroup } from "./log-group";
import { natGateway } from "./nat-gateway";
import { platform } from "./platform";
import { s3Bucket } from "./s3-bucket";
import { sagemakerEndpoint } from "./sagemaker-endpoint";
import { sagemakerTraining } from "./sagemaker-training";
import { publicIpv4 } from "./public-ipv4";
import { natInstance } from "./nat-instance";
import { codebuild } from "./codebuild";

export const PRICERS: readonly Pricer[] = [
  eksCluster,
  eksNodeGroup,
  s3Bucket,
  logGroup,
  loadBalancer,
  ecrRepository,
  sagemakerTraining,
  sagemakerEndpoint,
  natGateway,
  natInstance,
  publicIpv4,
  codebuild,
  platform,
];
