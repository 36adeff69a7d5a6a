"""Resource Groups Tagging API: EKS, ECR and EventBridge rules in GetResources.

Gap (moto 5.2.1): GetResources knows no EKS clusters or node groups, no ECR repositories and
no EventBridge rules (only event buses), so the teardown verification ("nothing tagged
Environment=<env> is left") and the scheduler's discovery by `Schedule=<name>` silently miss
them. Separately, any SageMaker endpoint config in the account made GetResources fail with a
500 (moto stores the config's ARN as a tuple; fixed in patches/sagemaker.py).

AWS: GetResources returns [{ResourceARN, Tags: [{Key, Value}]}] for every tagged resource of
a supported service; ResourceTypeFilters take "service" or "service:type" (eks:cluster,
eks:nodegroup, ecr:repository, events:rule); TagFilters AND across keys, OR across a key's
values; untagged resources are not returned.

Patch: after moto's own resources, yields tagged EKS clusters and node groups (tags as EKS
keeps them), ECR repositories (the ECR tagger) and EventBridge rules of every bus (the
Events tagger), with the same filter semantics.
"""
from collections.abc import Iterator
from typing import Any

from moto.resourcegroupstaggingapi.models import ResourceGroupsTaggingAPIBackend


def _wanted(filters: list[str] | None, service: str, rtype: str) -> bool:
    return not filters or service in filters or f"{service}:{rtype}" in filters


def _matches(tags: list[dict[str, Any]], tag_filters: list[dict[str, Any]] | None) -> bool:
    if not tags:
        return False
    have = {t["Key"]: t.get("Value") for t in tags}
    for f in tag_filters or []:
        if f["Key"] not in have:
            return False
        values = f.get("Values") or []
        if values and have[f["Key"]] not in values:
            return False
    return True


def _as_list(tags: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [{"Key": k, "Value": v} for k, v in (tags or {}).items()]


def _extra(self: ResourceGroupsTaggingAPIBackend, tag_filters: Any, type_filters: Any) -> Iterator[dict[str, Any]]:
    from moto.ecr.models import ecr_backends
    from moto.eks.models import eks_backends

    eks = eks_backends[self.account_id][self.region_name]
    for cluster in eks.clusters.values():
        if _wanted(type_filters, "eks", "cluster"):
            tags = _as_list(cluster.tags)
            if _matches(tags, tag_filters):
                yield {"ResourceARN": cluster.arn, "Tags": tags}
        if _wanted(type_filters, "eks", "nodegroup"):
            for ng in cluster.nodegroups.values():
                tags = _as_list(ng.tags)
                if _matches(tags, tag_filters):
                    yield {"ResourceARN": ng.arn, "Tags": tags}

    if _wanted(type_filters, "ecr", "repository"):
        ecr = ecr_backends[self.account_id][self.region_name]
        for repo in ecr.repositories.values():
            tags = ecr.tagger.list_tags_for_resource(repo.arn)["tags"]
            if _matches(tags, tag_filters):
                yield {"ResourceARN": repo.arn, "Tags": tags}

    if _wanted(type_filters, "events", "rule"):
        events = self.events_backend
        for bus in events.event_buses.values():
            for rule in bus.rules.values():
                tags = events.tagger.list_tags_for_resource(rule.arn)["Tags"]
                if _matches(tags, tag_filters):
                    yield {"ResourceARN": rule.arn, "Tags": tags}


def apply() -> None:
    orig = ResourceGroupsTaggingAPIBackend._get_resources_generator

    def _get_resources_generator(
        self: ResourceGroupsTaggingAPIBackend,
        tag_filters: list[dict[str, Any]] | None = None,
        resource_type_filters: list[str] | None = None,
    ) -> Iterator[dict[str, Any]]:
        yield from orig(self, tag_filters=tag_filters, resource_type_filters=resource_type_filters)
        yield from _extra(self, tag_filters, resource_type_filters)

    ResourceGroupsTaggingAPIBackend._get_resources_generator = _get_resources_generator  # type: ignore[method-assign]
