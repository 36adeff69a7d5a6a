"""EC2 launch templates: the template's own tags stay out of the version data and stay current.

Gap 1 (moto 5.2.1): CreateLaunchTemplate copies the request's top-level TagSpecifications
(ResourceType launch-template: the provider's default_tags and tags for the template itself)
into LaunchTemplateData.TagSpecifications. DescribeLaunchTemplateVersions then returns an
extra tag_specifications { resource_type = "launch-template" } block, so aws_launch_template
(with default_tags) shows a perpetual in-place diff and a new version on every apply.

AWS: the top-level TagSpecifications tag the launch template resource only (they come back
as the template's Tags); LaunchTemplateData.TagSpecifications (instance, volume, ...) is the
version's data and is returned as sent.

Gap 2 (moto 5.2.1): a launch template's Tags are a snapshot taken at creation; CreateTags /
DeleteTags on the lt-... id (how the provider changes tags and default_tags) update EC2's tag
store but DescribeLaunchTemplates keeps answering the old tags, so the change never shows and
every later plan repeats it. AWS answers the template's current tags.

Patch: CreateLaunchTemplate keeps moto's behaviour except that merge, and a template's Tags
are read from EC2's tag store each time.
"""
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.models.launch_templates import LaunchTemplate
from moto.ec2.responses.launch_templates import LaunchTemplates
from moto.ec2.utils import parse_user_data


def apply() -> None:
    def create_launch_template(self: Any) -> ActionResult:
        name = self._get_param("LaunchTemplateName")
        version_description = self._get_param("VersionDescription")
        tag_spec = self._parse_tag_specification()

        parsed_template_data = self._get_param("LaunchTemplateData", {})
        parsed_template_data["UserData"] = parse_user_data(self._get_param("LaunchTemplateData.UserData"))
        self.error_on_dryrun()

        template = self.ec2_backend.create_launch_template(name, version_description, parsed_template_data, tag_spec)
        version = template.default_version()
        return ActionResult(
            {
                "LaunchTemplate": {
                    "CreateTime": version.create_time,
                    "CreatedBy": f"arn:{self.partition}:iam::{self.current_account}:root",
                    "DefaultVersionNumber": template.default_version_number,
                    "LatestVersionNumber": version.number,
                    "LaunchTemplateId": template.id,
                    "LaunchTemplateName": template.name,
                    "Tags": template.tags,
                },
            }
        )

    LaunchTemplates.create_launch_template = create_launch_template  # type: ignore[method-assign]

    def _get(self: LaunchTemplate) -> list[dict[str, str]]:
        return self.get_tags() if getattr(self, "id", None) else []

    def _set(self: LaunchTemplate, _value: Any) -> None:
        pass  # moto's __init__ assigns its snapshot; the live tag store is the truth

    LaunchTemplate.tags = property(_get, _set)  # type: ignore[assignment]
