"""IAM: AWS managed policies exist, as they do in every real account.

Gap (moto 5.2.1): moto only creates the AWS managed policies (arn:aws:iam::aws:policy/...)
when MOTO_IAM_LOAD_MANAGED_POLICIES=true (off by default), so aws_iam_role_policy_attachment
of AmazonEKSClusterPolicy, AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy,
AmazonEC2ContainerRegistryReadOnly, AWSLambdaBasicExecutionRole, ... fails with
NoSuchEntity (404) "Policy ... does not exist or is not attachable".

AWS: every account can attach every AWS managed policy.

Patch: turns moto's own switch on before any IAM backend is built (moto ships the policy
documents; loading them costs about half a second per account).
"""
import os


def apply() -> None:
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
