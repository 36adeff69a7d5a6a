"""IAM enforcement for role sessions: least privilege proven by running under it.

Switch: RF_EMULATOR_IAM=enforce in the server's environment (startEmulator({ enforceIam: true })
sets it; `npm start` and the sandbox end to end use it). Without it nothing here changes moto.

What moto 5.2.1 has (moto/core/authorization.py, moto/iam/access_control.py): once
INITIAL_NO_AUTH_ACTION_COUNT requests have been served (infinite by default, so never), every
request that reaches BaseResponse.call_action (every service on moto's generic dispatch: EKS,
SageMaker, SSM, EventBridge, CloudWatch, Logs, Cost Explorer, the Tagging API, ECR, STS, IAM, EC2,
ELBv2, Lambda, EventBridge Scheduler, Budgets, Application Auto Scaling, KMS, SNS, SQS, CodeBuild,
and the operations this project's patches add as response methods) and every S3 bucket and
object request is authenticated (SigV4 recomputed with the secret moto issued) and authorized against the caller's
identity policies: the IAM user's (inline, attached, groups') or the assumed role's (inline and
attached). Skipped: handlers moto routes past call_action (the moto-api, instance metadata, SNS
signing certificates, CloudFormation's cfnresponse, some API Gateway, OpenSearch and CodeDeploy
paths: none used here) and the S3 Intelligent-Tiering route patches/s3.py adds (it now authorizes
itself). Where it falls short for proving a role's policy:

1. Resources. Only S3 (bucket and object ARNs), SQS (queue), IAM (role) and STS AssumeRole
   (role) tell the check which resource a call is on; every other service is checked against
   Resource "*", so a statement scoped to an ARN (nodegroup/*/*/*, endpoint/*, parameter/...)
   never matches and a least-privilege policy is denied everything it scopes.
2. Action names. The action is "<signing name>:<operation>": CloudWatch signs as `monitoring`
   and the Tagging API as `tagging`, so cloudwatch:GetMetricData and tag:GetResources never
   match; S3's HEAD bucket is called HeadBucket (AWS authorizes it as s3:ListBucket), the public
   access block calls GetPublicAccessBlock (s3:GetBucketPublicAccessBlock); a DeleteObjects
   request is checked once on the bucket ARN instead of once per key (s3:DeleteObject on
   bucket/key); a CopyObject never checks s3:GetObject on its source.
3. Matching. Actions match case-sensitively (IAM actions are case-insensitive); `?` is not a
   wildcard; `.` in a pattern is a regex wildcard.
4. Actions AWS adds to a call. iam:PassRole for the role a call hands to a service
   (CreateSchedule/UpdateSchedule's target role, CreateTrainingJob's role, ...), and
   sagemaker:AddTags for CreateEndpoint with tags, are never checked.
5. Denials. Every non-S3 denial is an XML ErrorResponse "AccessDenied" whose message names the
   action but not the resource; JSON-protocol clients (the JS SDK for EKS, SageMaker, SSM,
   EventBridge, CloudWatch, ...) cannot read its message. S3 answers "Access Denied", naming
   neither.
6. Signatures. moto recomputes SigV4 from the URL werkzeug decoded, so valid requests whose
   query or key holds `/`, `+`, `:`, `=` or non-ASCII (ListObjectsV2 with a Prefix, keys like
   a+b) fail with SignatureDoesNotMatch.
7. The emulator's own credentials ("testing", what Terraform, the sandbox and every test use)
   are not an IAM user: with authorization on, every one of their calls fails
   (InvalidClientTokenId), so Terraform could no longer deploy.

What AWS does: every call is evaluated against the caller's identity policies for the action
the Service Authorization Reference names, on every resource it lists for that action (an
explicit Deny wins, else any Allow, else denied); AccessDenied says "User: <arn> is not
authorized to perform: <action> on resource: <arn> because no identity-based policy allows the
<action> action".

This patch, for role sessions and IAM users:
- actions are "<IAM prefix>:<operation>" (monitoring -> cloudwatch, tagging -> tag, the S3 names
  above), matched case-insensitively with `*` and `?`;
- resources are derived from the request for the operations in RESOURCES below (written from
  the Service Authorization Reference); where AWS takes Resource "*" the check does too; an
  operation not in the table is checked on its action alone (any Resource of an Allow
  statement matches), and the decision log says "action-only" for it;
- iam:PassRole (on the role ARN in the request) and sagemaker:AddTags (with tags) are checked
  where AWS checks them (IMPLIED below);
- an explicit Deny wins; Condition blocks are NOT evaluated: a statement applies as if its
  conditions held (so tag conditions, kms:GrantIsForAWSResource, iam:PassedToService,
  aws:SourceAccount are unchecked: unit tests and policy rules cover them); permission
  boundaries, session policies, SCPs and resource-based policies (KMS key policies, bucket
  policies for the caller) are not evaluated either;
- the signature is recomputed over the request line as the client sent it (werkzeug's RAW_URI),
  and over the empty payload for a request without a body (moto used the request's headers as
  its payload, so every bodyless GET of a client that does not send x-amz-content-sha256, the Go
  SDK in Terraform's provider and botocore, failed with SignatureDoesNotMatch);
- DeleteObjects is checked per key (s3:DeleteObjectVersion for a key given with a version) and
  CopyObject also on its source (s3:GetObject); where AWS answers a DeleteObjects with per-key
  Errors, a denied key here fails the whole call;
- a denial answers AccessDenied in the service's own protocol (AccessDeniedException for JSON
  and REST-JSON, UnauthorizedOperation for EC2, AccessDenied for S3 and query services, the
  latter in the query protocol's ErrorResponse/Error shape, which the Go SDK reads) with AWS's
  message, action and resource named;
- a role session's iam:GetUser without UserName answers 400 ValidationError, as AWS does
  (`aws iam get-user` with role credentials: "Must specify userName when calling with non-User
  credentials"); Terraform's provider asks it when it looks up the account id and moves on to
  sts:GetCallerIdentity. The decision log keeps it as decision "invalid", not a denial;
- every decision (principal, action, resources, allowed, basis, statement) is kept (the last
  50 000) and served at GET /moto-api/rf-iam/decisions?since=<seq> (JSON), so a run can show what
  a role was asked to do and that it was all allowed; the administrator's calls are logged too
  (decision "admin"), which lists the actions a deploy or a teardown needs, for writing a role.

The deployer: requests signed with an access key in RF_EMULATOR_ADMIN_KEYS (default "testing",
lambda/shared/aws-client.ts EMULATOR_CREDENTIALS) are the account's administrator (as if the
policy {"Effect": "Allow", "Action": "*", "Resource": "*"} were attached): Terraform, the sandbox
flow and every test keep working with enforcement on, and only sessions of the roles under test
are restricted. The administrator's sts:AssumeRole skips the role's trust policy: it stands in
for the AWS service (lambda.amazonaws.com, codebuild.amazonaws.com) or the named operator that
the trust policy admits; trust policies are checked by the policy rules (CKV_AWS_60/61) and the
sandbox's own check of the principal each trust names.
"""
from __future__ import annotations

import json
import os
import re
import threading
import time
from collections import deque
from typing import Any, Callable, Optional
from urllib.parse import parse_qs, unquote, urlparse
from xml.sax.saxutils import unescape

ENV_SWITCH = "RF_EMULATOR_IAM"
ENV_ADMIN_KEYS = "RF_EMULATOR_ADMIN_KEYS"

# IAM service prefix for a SigV4 signing name where they differ.
SERVICE_PREFIX = {"monitoring": "cloudwatch", "tagging": "tag"}

# moto's S3 operation names (moto/s3/responses.py ACTION_MAP) whose IAM action differs.
S3_ACTIONS = {
    "HeadBucket": "ListBucket",
    "GetPublicAccessBlock": "GetBucketPublicAccessBlock",
    "PutPublicAccessBlock": "PutBucketPublicAccessBlock",
    "DeletePublicAccessBlock": "PutBucketPublicAccessBlock",
}

_lock = threading.Lock()
_decisions: deque = deque(maxlen=50_000)
_seq = [0]


class _Req:
    """The request as the resource table reads it: region, account, parameters by name."""

    def __init__(self, resp: Any):
        self.resp = resp
        self.region = resp.region
        self.account = resp.current_account
        self.partition = getattr(resp, "partition", "aws")
        self._body: Optional[dict] = None

    def body(self) -> dict:
        if self._body is None:
            raw = self.resp.body
            if isinstance(raw, bytes):
                raw = raw.decode("utf-8", "replace")
            try:
                parsed = json.loads(raw) if raw and raw.strip().startswith("{") else {}
            except ValueError:
                parsed = {}
            self._body = parsed if isinstance(parsed, dict) else {}
        return self._body

    def p(self, name: str) -> Optional[str]:
        """A parameter: URI label, then JSON body, then query string."""
        m = getattr(self.resp, "uri_match", None)
        if m is not None and name in m.groupdict():
            return unquote(m.group(name))
        v = self.body().get(name)
        if v is not None:
            return v
        q = self.resp.querystring.get(name)
        if isinstance(q, list):
            return q[0] if q else None
        return q

    def arn(self, service: str, resource: str, region: Optional[str] = None) -> str:
        reg = self.region if region is None else region
        return f"arn:{self.partition}:{service}:{reg}:{self.account}:{resource}"


def _nodegroup_arn(r: _Req) -> str:
    cluster, ng = r.p("name"), r.p("nodegroupName")
    try:
        from moto.eks.models import eks_backends

        return eks_backends[r.account][r.region].clusters[cluster].nodegroups[ng].arn
    except Exception:  # unknown group: AWS answers ResourceNotFound after authorizing the pattern
        return r.arn("eks", f"nodegroup/{cluster}/{ng}/*")


def _sm(kind: str, param: str) -> Callable[[_Req], list]:
    # SageMaker ARNs carry the resource name in lower case.
    return lambda r: [r.arn("sagemaker", f"{kind}/{(r.p(param) or '').lower()}")]


def _ssm_parameter(name: Optional[str], r: _Req) -> str:
    name = name or ""
    return r.arn("ssm", f"parameter{name}" if name.startswith("/") else f"parameter/{name}")


def _events_rule(r: _Req) -> list:
    bus = r.p("EventBusName")
    bus = bus.split("/")[-1] if bus else "default"
    name = r.p("Name") or r.p("Rule")
    return [r.arn("events", f"rule/{name}" if bus == "default" else f"rule/{bus}/{name}")]


def _schedule(r: _Req) -> list:
    group = r.p("groupName") or r.p("GroupName") or "default"
    return [r.arn("scheduler", f"schedule/{group}/{r.p('Name')}")]


def _lambda_function(r: _Req) -> list:
    name = r.p("FunctionName") or ""
    if name.startswith("arn:"):
        return [name]
    return [r.arn("lambda", f"function:{name}")]


def _given(param: str) -> Callable[[_Req], list]:
    return lambda r: [r.p(param)]


STAR: Callable[[_Req], list] = lambda r: ["*"]


def _iam_arn(r: _Req, kind: str, name: Optional[str], path: Optional[str]) -> str:
    """An IAM role's or instance profile's ARN, path included: given in the request (Create...),
    else the one moto holds (the ARN AWS authorizes on), else the default path "/"."""
    if path is None:
        try:
            from moto.iam.models import iam_backends

            backend = iam_backends[r.account][r.partition]
            found = backend.get_role(name) if kind == "role" else backend.get_instance_profile(name)
            return found.arn
        except Exception:  # not there (yet): AWS answers NoSuchEntity after authorizing the default-path ARN
            path = "/"
    return r.arn("iam", f"{kind}{path}{name}", region="")


def _instance_profile(r: _Req) -> list:
    # IAM ARNs carry no region; a profile's path is part of its ARN
    return [_iam_arn(r, "instance-profile", r.p("InstanceProfileName"), r.p("Path"))]


# operation (IAM action) -> the resources AWS authorizes it on. Every action whose Service
# Authorization Reference entry has no resource type takes "*". Absent: checked on the action only.
RESOURCES: dict[str, Callable[[_Req], list]] = {
    # EKS: list_amazonelastickubernetesservice.html
    "eks:ListClusters": STAR,
    "eks:DescribeCluster": lambda r: [r.arn("eks", f"cluster/{r.p('name')}")],
    "eks:ListNodegroups": lambda r: [r.arn("eks", f"cluster/{r.p('name')}")],
    "eks:DescribeNodegroup": lambda r: [_nodegroup_arn(r)],
    "eks:UpdateNodegroupConfig": lambda r: [_nodegroup_arn(r)],
    # SageMaker: list_amazonsagemaker.html
    "sagemaker:ListEndpoints": STAR,
    "sagemaker:ListEndpointConfigs": STAR,
    "sagemaker:ListTrainingJobs": STAR,
    "sagemaker:DescribeEndpoint": _sm("endpoint", "EndpointName"),
    "sagemaker:DeleteEndpoint": _sm("endpoint", "EndpointName"),
    "sagemaker:CreateEndpoint": lambda r: _sm("endpoint", "EndpointName")(r) + _sm("endpoint-config", "EndpointConfigName")(r),
    "sagemaker:UpdateEndpoint": lambda r: _sm("endpoint", "EndpointName")(r) + _sm("endpoint-config", "EndpointConfigName")(r),
    "sagemaker:DescribeEndpointConfig": _sm("endpoint-config", "EndpointConfigName"),
    "sagemaker:CreateEndpointConfig": _sm("endpoint-config", "EndpointConfigName"),
    "sagemaker:DeleteEndpointConfig": _sm("endpoint-config", "EndpointConfigName"),
    "sagemaker:CreateTrainingJob": _sm("training-job", "TrainingJobName"),
    "sagemaker:DescribeTrainingJob": _sm("training-job", "TrainingJobName"),
    "sagemaker:CreateHyperParameterTuningJob": _sm("hyper-parameter-tuning-job", "HyperParameterTuningJobName"),
    "sagemaker:DescribeHyperParameterTuningJob": _sm("hyper-parameter-tuning-job", "HyperParameterTuningJobName"),
    "sagemaker:ListTags": _given("ResourceArn"),
    "sagemaker:AddTags": _given("ResourceArn"),
    # EventBridge: list_amazoneventbridge.html
    "events:ListRules": STAR,
    "events:DescribeRule": _events_rule,
    "events:EnableRule": _events_rule,
    "events:DisableRule": _events_rule,
    "events:ListTagsForResource": _given("ResourceARN"),
    # EventBridge Scheduler: list_amazoneventbridgescheduler.html
    "scheduler:ListSchedules": STAR,
    "scheduler:GetSchedule": _schedule,
    "scheduler:UpdateSchedule": _schedule,
    # Systems Manager parameters: list_awssystemsmanager.html
    "ssm:GetParameter": lambda r: [_ssm_parameter(r.p("Name"), r)],
    "ssm:PutParameter": lambda r: [_ssm_parameter(r.p("Name"), r)],
    "ssm:DeleteParameter": lambda r: [_ssm_parameter(r.p("Name"), r)],
    "ssm:GetParametersByPath": lambda r: [_ssm_parameter(r.p("Path"), r)],
    # CloudWatch, Cost Explorer, Tagging API, EC2 and ELB descriptions: no resource types
    "cloudwatch:GetMetricData": STAR,
    "cloudwatch:GetMetricStatistics": STAR,
    "ce:GetCostAndUsage": STAR,
    "tag:GetResources": STAR,
    "ec2:DescribeInstances": STAR,
    "ec2:DescribeNatGateways": STAR,
    "ec2:DescribeSecurityGroups": STAR,
    "ec2:DescribeTags": STAR,
    "elasticloadbalancing:DescribeLoadBalancers": STAR,
    "elasticloadbalancing:DescribeTargetGroups": STAR,
    "elasticloadbalancing:DescribeTags": STAR,
    "logs:DescribeLogGroups": STAR,
    # ECR: list_amazonelasticcontainerregistry.html
    "ecr:GetLifecyclePolicy": lambda r: [r.arn("ecr", f"repository/{r.p('repositoryName')}")],
    "ecr:DescribeImages": lambda r: [r.arn("ecr", f"repository/{r.p('repositoryName')}")],
    "ecr:BatchDeleteImage": lambda r: [r.arn("ecr", f"repository/{r.p('repositoryName')}")],
    # Lambda: list_awslambda.html
    "lambda:GetFunction": _lambda_function,
    # IAM instance profiles: list_awsidentityandaccessmanagementiam.html. moto derives the role
    # from RoleName; AWS authorizes these on the instance profile (Add... also needs PassRole).
    **{f"iam:{op}": _instance_profile for op in (
        "CreateInstanceProfile", "DeleteInstanceProfile", "GetInstanceProfile", "AddRoleToInstanceProfile",
        "RemoveRoleFromInstanceProfile", "TagInstanceProfile", "UntagInstanceProfile", "ListInstanceProfileTags",
    )},
}

# Further (action, resource) checks AWS makes for a call, beyond the call's own action.
def _pass_role(*path: str) -> Callable[[_Req], list]:
    def roles(r: _Req) -> list:
        found: list = []

        def walk(value: Any, keys: tuple) -> None:
            if not keys:
                if isinstance(value, str) and value:
                    found.append(value)
                return
            if isinstance(value, list):
                for v in value:
                    walk(v, keys)
            elif isinstance(value, dict):
                walk(value.get(keys[0]), keys[1:])

        walk(r.body(), path)
        return [("iam:PassRole", arn) for arn in found]

    return roles


IMPLIED: dict[str, Callable[[_Req], list]] = {
    "scheduler:CreateSchedule": _pass_role("Target", "RoleArn"),
    "scheduler:UpdateSchedule": _pass_role("Target", "RoleArn"),
    "sagemaker:CreateTrainingJob": _pass_role("RoleArn"),
    "sagemaker:CreateHyperParameterTuningJob": _pass_role("TrainingJobDefinition", "RoleArn"),
    "sagemaker:CreateModel": _pass_role("ExecutionRoleArn"),
    "eks:CreateCluster": _pass_role("roleArn"),
    "eks:CreateNodegroup": _pass_role("nodeRole"),
    "lambda:CreateFunction": _pass_role("Role"),
    "lambda:UpdateFunctionConfiguration": _pass_role("Role"),
    "events:PutTargets": _pass_role("Targets", "RoleArn"),
    "iam:AddRoleToInstanceProfile": lambda r: [("iam:PassRole", _iam_arn(r, "role", r.p("RoleName"), None))],
    # Tags given at creation are authorized as sagemaker:AddTags on the new endpoint.
    "sagemaker:CreateEndpoint": lambda r: [("sagemaker:AddTags", a) for a in _sm("endpoint", "EndpointName")(r)] if r.body().get("Tags") else [],
}


def _s3_checks(resp: Any, action: str, resource: str) -> list:
    """S3 calls whose checks differ from moto's one (action, resource)."""
    checks = [(action, resource)]
    if action == "s3:DeleteObject" and "/" not in resource.split(":::", 1)[-1]:
        # DeleteObjects: s3:DeleteObject per key, s3:DeleteObjectVersion per key given with a
        # version (AWS answers 200 listing each denied key in Errors; here the whole call is denied)
        body = resp.body.decode("utf-8", "replace") if isinstance(resp.body, bytes) else str(resp.body or "")
        objects = re.findall(r"<Object>(.*?)</Object>", body, re.DOTALL)
        per_key = []
        for o in objects:
            key = re.search(r"<Key>(.*?)</Key>", o, re.DOTALL)
            if key:
                versioned = "<VersionId>" in o
                per_key.append(("s3:DeleteObjectVersion" if versioned else action, f"{resource}/{unescape(key.group(1))}"))
        checks = per_key or checks
    source = resp.headers.get("x-amz-copy-source")
    if action == "s3:PutObject" and source:
        src = unquote(urlparse(source).path).lstrip("/")
        version = parse_qs(urlparse(source).query).get("versionId")
        checks.append(("s3:GetObjectVersion" if version else "s3:GetObject", f"arn:{resp.partition}:s3:::{src}"))
    return checks


def _pattern(p: str, case_insensitive: bool) -> re.Pattern:
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in p)
    return re.compile(f"^{rx}$", re.IGNORECASE | re.DOTALL if case_insensitive else re.DOTALL)


def _listed(v: Any) -> list:
    return v if isinstance(v, list) else [v] if v is not None else []


def _applies(st: dict, action: str, resource: Optional[str]) -> bool:
    if "Action" in st:
        if not any(_pattern(a, True).match(action) for a in _listed(st["Action"])):
            return False
    elif "NotAction" in st:
        if any(_pattern(a, True).match(action) for a in _listed(st["NotAction"])):
            return False
    else:
        return False
    if resource is None:  # resource not derived: action-only
        return True
    if "Resource" in st:
        return any(_pattern(p, False).match(resource) for p in _listed(st["Resource"]))
    if "NotResource" in st:
        return not any(_pattern(p, False).match(resource) for p in _listed(st["NotResource"]))
    return False


def _documents(policies: list) -> list:
    docs = []
    for p in policies:
        if isinstance(p, str):
            text = p
        elif isinstance(p, dict):
            text = p.get("policy_document", "{}")
        else:  # moto ManagedPolicy / AWSManagedPolicy: the default version
            text = next((v.document for v in p.versions if v.is_default), "{}")
        doc = json.loads(text) if isinstance(text, str) else text
        docs.append(doc)
    return docs


def evaluate(documents: list, action: str, resource: Optional[str]) -> tuple:
    """("allow" | "explicit-deny" | "implicit-deny", Sid or index of the deciding statement, conditions ignored)."""
    allow = None
    for d, doc in enumerate(documents):
        for i, st in enumerate(_listed(doc.get("Statement"))):
            if not isinstance(st, dict) or not _applies(st, action, resource):
                continue
            label = st.get("Sid") or f"statement {i + 1} of policy {d + 1}"
            if st.get("Effect") == "Deny":
                return ("explicit-deny", label, bool(st.get("Condition")))
            if st.get("Effect") == "Allow" and allow is None:
                allow = (label, bool(st.get("Condition")))
    if allow:
        return ("allow", allow[0], allow[1])
    return ("implicit-deny", None, False)


def _record(entry: dict) -> None:
    with _lock:
        _seq[0] += 1
        entry["seq"] = _seq[0]
        _decisions.append(entry)


def _query_error(code: str, message: str, status: int) -> Exception:
    """An error in the query protocol's shape (IAM, STS, SNS, CloudWatch): ErrorResponse/Error,
    not moto's ErrorResponse/Errors/Error (EC2's), which the Go SDK reads as UnknownError."""
    from xml.sax.saxutils import escape

    from moto.core.exceptions import _RESTError

    err: Any = _RESTError(code, message)
    err.description = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f"<ErrorResponse><Error><Type>Sender</Type><Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
        "<RequestId>rf-iam-enforcement</RequestId></ErrorResponse>"
    )
    err.code = status
    return err


def _denied_error(resp: Any, is_s3: bool, message: str) -> Exception:
    from moto.core.exceptions import JsonRESTError, _RESTError
    from moto.s3.exceptions import S3ClientError

    if is_s3:
        return S3ClientError("AccessDenied", message)
    headers = resp.headers
    if headers.get("X-Amz-Target") or "json" in (headers.get("Content-Type") or ""):
        err: Any = JsonRESTError("AccessDeniedException", message)
    elif resp.querystring.get("Action") and getattr(resp, "service_name", "") == "ec2":
        err = _RESTError("UnauthorizedOperation", message)
    elif resp.querystring.get("Action"):
        err = _query_error("AccessDenied", message, 403)
    else:  # REST-JSON (EKS, Scheduler, Lambda) without a body
        err = JsonRESTError("AccessDeniedException", message)
    err.code = 403
    return err


def _checks(resp: Any, action: str, resource: str, is_s3: bool) -> tuple:
    """The (action, resource) pairs AWS authorizes for this call, and how the resource was found."""
    req = _Req(resp)
    if is_s3:
        checks, basis = _s3_checks(resp, action, resource), "resource"
    elif action in RESOURCES:
        checks, basis = [(action, r) for r in RESOURCES[action](req)], "resource"
    elif resource != "*":  # moto derived it (SQS queue, IAM role, STS AssumeRole)
        checks, basis = [(action, resource)], "resource"
    else:
        checks, basis = [(action, None)], "action-only"
    if action in IMPLIED:
        checks += IMPLIED[action](req)
    return checks, basis


def _authorize(resp: Any, iam_request_cls: type, resource: str) -> None:
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin

    if ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
        ActionAuthenticatorMixin.request_count += 1
        return
    if resp.headers.get("X-Amz-Target") in ActionAuthenticatorMixin.PUBLIC_OPERATIONS:
        return
    is_s3 = iam_request_cls.__name__ == "S3IAMRequest"
    scope = (resp.headers.get("Authorization") or "").partition("Credential=")[2].partition(",")[0].split("/")
    if len(scope) < 4 or not scope[0]:
        raise _denied_error(resp, is_s3, "Anonymous or unsigned requests are not allowed by the emulator's IAM enforcement: sign the request")
    key, service = scope[0], scope[3]
    operation = resp._get_action()
    op = operation[0] if isinstance(operation, list) else operation
    action = f"{SERVICE_PREFIX.get(service, service)}:{S3_ACTIONS.get(op, op) if is_s3 else op}"

    if key in _admin_keys():
        # The administrator is allowed everything; what it was asked to do is still logged, so a
        # run can list the actions a deploy or a teardown needs (a role to be written).
        try:
            checks, basis = _checks(resp, action, resource, is_s3)
        except Exception as e:  # never fail a deploy over the log
            checks, basis = [(action, None)], f"not derived: {e!r}"
        for a, r in checks:
            _record({"time": time.time(), "principal": "admin", "operation": action, "action": a, "resource": r, "basis": basis if r is not None else "action-only", "allowed": True, "decision": "admin"})
        return

    raw = getattr(resp, "_rf_raw_uri", None)
    parsed = urlparse(resp.uri)
    path = raw or (parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    # The signed payload. moto fills resp.data with the request's headers when a request has no
    # body, form or query (a REST GET such as EKS DescribeCluster) and signs those: the Go SDK
    # (Terraform's provider) then fails with SignatureDoesNotMatch. A request without a body was
    # signed over the empty payload. Form posts (query protocol) keep their form: werkzeug has
    # consumed the body into it, and moto re-encodes it in order.
    data = resp.data if (resp.raw_body or getattr(resp, "form_data", None)) else ""
    # moto's own request: the signature check, the caller's identity and its policies
    request = iam_request_cls(
        account_id=resp.current_account, method=resp.method, path=path, data=data, body=resp.raw_body,
        headers=resp.headers, action=operation,
    )
    request.check_signature()
    if action == "sts:GetCallerIdentity":  # AWS allows it to everyone, even with an explicit Deny
        return
    principal = request._access_key.arn
    if action == "iam:GetUser" and ":assumed-role/" in principal and not _Req(resp).p("UserName"):
        # What AWS answers a role session asking "who am I" of IAM (`aws iam get-user` with role
        # credentials): 400 ValidationError. Terraform's provider asks it first when it looks up
        # the account id and goes on to sts:GetCallerIdentity on this answer or on AccessDenied.
        _record({"time": time.time(), "principal": principal, "operation": action, "action": action, "resource": None, "basis": "AWS answers ValidationError to non-user credentials", "allowed": True, "decision": "invalid"})
        raise _query_error("ValidationError", "Must specify userName when calling with non-User credentials", 400)
    try:
        checks, basis = _checks(resp, action, resource, is_s3)
    except Exception:  # a request the table cannot read: say so rather than guess a resource
        checks, basis = [(action, None)], "action-only"

    documents = _documents(request._access_key.collect_policies())
    for check_action, check_resource in checks:
        verdict, statement, conditional = evaluate(documents, check_action, check_resource)
        _record(
            {
                "time": time.time(),
                "principal": principal,
                "operation": action,
                "action": check_action,
                "resource": check_resource,
                "basis": basis if check_resource is not None else "action-only",
                "allowed": verdict == "allow",
                "decision": verdict,
                "statement": statement,
                "conditionsIgnored": conditional,
            }
        )
        if verdict != "allow":
            on = f" on resource: {check_resource}" if check_resource is not None else ""
            why = (
                "with an explicit deny in an identity-based policy"
                if verdict == "explicit-deny"
                else f"because no identity-based policy allows the {check_action} action"
            )
            raise _denied_error(resp, is_s3, f"User: {principal} is not authorized to perform: {check_action}{on} {why}")


def _admin_keys() -> set:
    return {k.strip() for k in os.environ.get(ENV_ADMIN_KEYS, "testing").split(",") if k.strip()}


def decisions_response(request: Any, full_url: str, headers: Any) -> tuple:
    """GET /moto-api/rf-iam/decisions?since=<seq>: the decisions after seq, and whether enforcement is on."""
    from moto import settings

    query = parse_qs(urlparse(full_url).query)
    try:
        since = int(query.get("since", ["0"])[0])
    except ValueError:
        return 400, {"Content-Type": "application/json"}, json.dumps({"error": f"since must be an integer, got {query.get('since')}"})
    with _lock:
        out = [d for d in _decisions if d["seq"] > since]
        last = _seq[0]
    body = {"enforcing": settings.INITIAL_NO_AUTH_ACTION_COUNT == 0, "adminKeys": sorted(_admin_keys()), "last": last, "decisions": out}
    return 200, {"Content-Type": "application/json"}, json.dumps(body)


def apply() -> None:
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.core.responses import BaseResponse
    from moto.moto_api._internal import urls as api_urls

    def _authenticate_and_authorize_action(self: Any, iam_request_cls: type, resource: str = "*") -> None:
        _authorize(self, iam_request_cls, resource)

    ActionAuthenticatorMixin._authenticate_and_authorize_action = _authenticate_and_authorize_action  # type: ignore[method-assign]

    original_setup = BaseResponse.setup_class

    def setup_class(self: Any, request: Any, full_url: str, headers: Any, *args: Any, **kwargs: Any) -> None:
        # the request line as the client signed it (werkzeug decodes full_url)
        environ = getattr(request, "environ", None)
        self._rf_raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") if isinstance(environ, dict) else None
        original_setup(self, request, full_url, headers, *args, **kwargs)

    BaseResponse.setup_class = setup_class  # type: ignore[method-assign]
    api_urls.url_paths.setdefault("{0}/moto-api/rf-iam/decisions", decisions_response)
    if os.environ.get(ENV_SWITCH) == "enforce":
        settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
