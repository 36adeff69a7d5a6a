"""CloudWatch Logs: the log group class (logGroupClass) kept and read back.

Gap (moto 5.2.1): CreateLogGroup ignores logGroupClass and DescribeLogGroups returns none, so
aws_cloudwatch_log_group with log_group_class = "INFREQUENT_ACCESS" reads back empty and the
next plan replaces the group (the class forces a new resource).

AWS: CreateLogGroup takes logGroupClass STANDARD (the default), INFREQUENT_ACCESS or DELIVERY;
DescribeLogGroups returns it for every group; it cannot change after creation.

Patch: keeps the class the request named (STANDARD when none) on the group and adds it to the
description.
"""
from typing import Any

from moto.logs import models, responses


def apply() -> None:
    orig_create = responses.LogsResponse.create_log_group
    orig_describe = models.LogGroup.to_describe_dict

    def create_log_group(self: responses.LogsResponse) -> str:
        out = orig_create(self)
        group = self.logs_backend.groups.get(self._get_param("logGroupName"))
        if group is not None:
            group.emulator_class = self._get_param("logGroupClass") or "STANDARD"  # type: ignore[attr-defined]
        return out

    def to_describe_dict(self: models.LogGroup) -> dict[str, Any]:
        d = orig_describe(self)
        d["logGroupClass"] = getattr(self, "emulator_class", "STANDARD")
        return d

    responses.LogsResponse.create_log_group = create_log_group  # type: ignore[method-assign]
    models.LogGroup.to_describe_dict = to_describe_dict  # type: ignore[method-assign]
