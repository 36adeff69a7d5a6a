"""Lambda: DeadLetterConfig, LoggingConfig and KMSKeyArn read back; configuration updates.

Gap (moto 5.2.1): CreateFunction accepts DeadLetterConfig, LoggingConfig and KMSKeyArn but
drops them: GetFunction / GetFunctionConfiguration return neither, so aws_lambda_function
with dead_letter_config {} and logging_config {} shows a perpetual in-place diff.
UpdateFunctionConfiguration ignores DeadLetterConfig, LoggingConfig, TracingConfig,
KMSKeyArn and EphemeralStorage, so the provider's "fix" of that diff changes nothing.

AWS: FunctionConfiguration carries DeadLetterConfig {TargetArn} when set (an update with an
empty TargetArn removes it), KMSKeyArn when set, and always LoggingConfig: {LogFormat: Text,
LogGroup: /aws/lambda/<name>} by default; with LogFormat JSON it also carries
ApplicationLogLevel and SystemLogLevel (INFO unless given).

Patch: stores the three fields on the function model at creation and on update, applies the
other ignored update fields, and adds them to the configuration moto serialises.
"""
from typing import Any

from moto.awslambda.models import LambdaFunction


def _logging(fn: LambdaFunction, given: dict[str, Any] | None) -> dict[str, Any]:
    cfg = {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{fn.function_name}"}
    cfg.update({k: v for k, v in (given or {}).items() if v})
    if cfg["LogFormat"] == "JSON":
        cfg.setdefault("ApplicationLogLevel", "INFO")
        cfg.setdefault("SystemLogLevel", "INFO")
    else:
        cfg.pop("ApplicationLogLevel", None)
        cfg.pop("SystemLogLevel", None)
    return cfg


def apply() -> None:
    orig_init = LambdaFunction.__init__
    orig_get_configuration = LambdaFunction.get_configuration
    orig_update = LambdaFunction.update_configuration

    def __init__(self: LambdaFunction, account_id: str, spec: dict[str, Any], region: str, version: Any = 1) -> None:
        orig_init(self, account_id, spec, region, version)
        dlq = (spec.get("DeadLetterConfig") or {}).get("TargetArn")
        self._emu_dead_letter_arn = dlq or None  # type: ignore[attr-defined]
        self._emu_logging = _logging(self, spec.get("LoggingConfig"))  # type: ignore[attr-defined]
        self._emu_kms_key_arn = spec.get("KMSKeyArn") or None  # type: ignore[attr-defined]

    def get_configuration(self: LambdaFunction, on_create: bool = False) -> dict[str, Any]:
        config = orig_get_configuration(self, on_create)
        dlq = getattr(self, "_emu_dead_letter_arn", None)
        if dlq:
            config["DeadLetterConfig"] = {"TargetArn": dlq}
        kms = getattr(self, "_emu_kms_key_arn", None)
        if kms:
            config["KMSKeyArn"] = kms
        config["LoggingConfig"] = dict(getattr(self, "_emu_logging", None) or _logging(self, None))
        return config

    def update_configuration(self: LambdaFunction, config_updates: dict[str, Any]) -> dict[str, Any]:
        if "DeadLetterConfig" in config_updates:
            self._emu_dead_letter_arn = (config_updates["DeadLetterConfig"] or {}).get("TargetArn") or None  # type: ignore[attr-defined]
        if "LoggingConfig" in config_updates:
            self._emu_logging = _logging(self, config_updates["LoggingConfig"])  # type: ignore[attr-defined]
        if "KMSKeyArn" in config_updates:
            self._emu_kms_key_arn = config_updates["KMSKeyArn"] or None  # type: ignore[attr-defined]
        if config_updates.get("TracingConfig"):
            self.tracing_config = config_updates["TracingConfig"]
        if config_updates.get("EphemeralStorage"):
            self.ephemeral_storage = config_updates["EphemeralStorage"]["Size"]
        return orig_update(self, config_updates)

    LambdaFunction.__init__ = __init__  # type: ignore[method-assign]
    LambdaFunction.get_configuration = get_configuration  # type: ignore[method-assign]
    LambdaFunction.update_configuration = update_configuration  # type: ignore[method-assign]
