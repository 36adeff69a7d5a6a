"""Application Auto Scaling: tagging of scalable targets.

Gap (moto 5.2.1): RegisterScalableTarget ignores Tags and TagResource / UntagResource /
ListTagsForResource answer 500 NotImplementedError. aws_appautoscaling_target reads its tags
after every create and read, so it retried the 500s until the 10-minute timeout ("hangs").

AWS: a scalable target's ARN is arn:aws:application-autoscaling:<region>:<account>:
scalable-target/<id>; Tags is a map {key: value} on RegisterScalableTarget, TagResource and
the ListTagsForResource answer; UntagResource takes TagKeys; an ARN that names no target
answers ResourceNotFoundException (400). Deregistering a target drops its tags.

Patch: tags live in a TaggingService on the backend, keyed by the target ARN moto already
generates; the tag operations are added to the JSON response class.
"""
import json
from typing import Any

from moto.applicationautoscaling.models import ApplicationAutoscalingBackend
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.core.exceptions import JsonRESTError
from moto.utilities.tagging_service import TaggingService


class ResourceNotFoundException(JsonRESTError):
    code = 400

    def __init__(self, arn: str) -> None:
        super().__init__("ResourceNotFoundException", f"No scalable target found for ARN {arn}")


def _tagger(backend: ApplicationAutoscalingBackend) -> TaggingService:
    if not hasattr(backend, "_emu_tagger"):
        backend._emu_tagger = TaggingService()  # type: ignore[attr-defined]
    return backend._emu_tagger  # type: ignore[attr-defined]


def _target_arns(backend: ApplicationAutoscalingBackend) -> set[str]:
    return {t.arn for by_id in backend.targets.values() for t in by_id.values()}


def _check(backend: ApplicationAutoscalingBackend, arn: str) -> None:
    if arn not in _target_arns(backend):
        raise ResourceNotFoundException(arn)


def apply() -> None:
    orig_register = ApplicationAutoScalingResponse.register_scalable_target
    orig_deregister = ApplicationAutoscalingBackend.deregister_scalable_target

    def register_scalable_target(self: ApplicationAutoScalingResponse) -> str:
        out = orig_register(self)
        tags = self._get_param("Tags") or {}
        if tags:
            arn = json.loads(out)["ScalableTargetARN"]
            _tagger(self.applicationautoscaling_backend).tag_resource(
                arn, [{"Key": k, "Value": v} for k, v in tags.items()]
            )
        return out

    def deregister_scalable_target(self: ApplicationAutoscalingBackend, namespace: str, r_id: str, dimension: str) -> Any:
        target = self.targets.get(dimension, {}).get(r_id)
        out = orig_deregister(self, namespace, r_id, dimension)
        if target is not None:
            _tagger(self).delete_all_tags_for_resource(target.arn)
        return out

    def tag_resource(self: ApplicationAutoScalingResponse) -> str:
        backend = self.applicationautoscaling_backend
        arn = self._get_param("ResourceARN")
        _check(backend, arn)
        tags = self._get_param("Tags") or {}
        _tagger(backend).tag_resource(arn, [{"Key": k, "Value": v} for k, v in tags.items()])
        return json.dumps({})

    def untag_resource(self: ApplicationAutoScalingResponse) -> str:
        backend = self.applicationautoscaling_backend
        arn = self._get_param("ResourceARN")
        _check(backend, arn)
        _tagger(backend).untag_resource_using_names(arn, self._get_param("TagKeys") or [])
        return json.dumps({})

    def list_tags_for_resource(self: ApplicationAutoScalingResponse) -> str:
        backend = self.applicationautoscaling_backend
        arn = self._get_param("ResourceARN")
        _check(backend, arn)
        return json.dumps({"Tags": _tagger(backend).get_tag_dict_for_resource(arn)})

    ApplicationAutoScalingResponse.register_scalable_target = register_scalable_target  # type: ignore[method-assign]
    ApplicationAutoscalingBackend.deregister_scalable_target = deregister_scalable_target  # type: ignore[method-assign]
    ApplicationAutoScalingResponse.tag_resource = tag_resource  # type: ignore[attr-defined]
    ApplicationAutoScalingResponse.untag_resource = untag_resource  # type: ignore[attr-defined]
    ApplicationAutoScalingResponse.list_tags_for_resource = list_tags_for_resource  # type: ignore[attr-defined]
