"""S3 bucket policies: conditions evaluated as AWS does, and requests count as TLS.

Gap (moto 5.2.1): when moto evaluates a bucket policy for an object request, a statement whose
Condition does not match answers DENIED instead of not applying (NEUTRAL), and no request
context is passed, so every condition "does not match". The platform's TLS-only statement
(Deny s3:* when aws:SecureTransport is "false", AWS Foundational Security control S3.5) then
denies every object request: the S3 backend cannot even read its state file (HeadObject 403).

AWS: a statement applies only when all its conditions match; a Deny conditioned on
aws:SecureTransport=false denies plain-HTTP requests and nothing else. Every AWS client of the
platform (Terraform, the SDK) uses HTTPS against AWS.

moto also evaluates only StringEquals; any other operator (Bool here) is treated as matching.

Patch: the Bool operator is evaluated (case-insensitive "true"/"false"); statements whose conditions do not match are NEUTRAL, and bucket policies are evaluated
with aws:SecureTransport="true", because the emulator's plain HTTP on loopback stands in for the
HTTPS the same clients use against AWS. A policy that denies on other conditions still denies.
"""
from moto.iam import policy_conditions
from moto.iam.access_control import IAMPolicy, IAMPolicyStatement, PermissionResult
from moto.s3.models import FakeBucket

EMULATED_REQUEST_CONTEXT = {"aws:SecureTransport": "true"}


def _bool_equals(expected, actual: str) -> bool:
    values = expected if isinstance(expected, list) else [expected]
    return str(actual).lower() in [str(v).lower() for v in values]


def apply() -> None:
    policy_conditions.CONDITION_OPERATIONS.setdefault("Bool", _bool_equals)
    original = IAMPolicyStatement.is_action_permitted

    def is_action_permitted(self, action, resource="*", principal=None, incoming_condition_values=None):
        if self._statement.get("Condition") and not self._check_conditions(incoming_condition_values):
            return PermissionResult.NEUTRAL
        return original(self, action, resource, principal, incoming_condition_values)

    def get_permission(self, action, resource):
        if self.policy is None:
            return PermissionResult.NEUTRAL
        policy = self.policy.decode() if isinstance(self.policy, bytes) else self.policy
        return IAMPolicy(policy).is_action_permitted(action, resource, incoming_condition_values=dict(EMULATED_REQUEST_CONTEXT))

    IAMPolicyStatement.is_action_permitted = is_action_permitted
    FakeBucket.get_permission = get_permission
