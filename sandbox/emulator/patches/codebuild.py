"""CodeBuild: what the compute lifetime's project and schedules need of it.

Gaps (moto 5.2.1):
1. CreateProject drops concurrentBuildLimit and projectVisibility, so aws_codebuild_project
   with concurrent_build_limit = 1 reads back 0 and plans an update on every plan.
2. UpdateProject does not exist, so any later change to the project (a new buildspec, an
   environment variable) fails the deploy.
3. StartBuild ignores environmentVariablesOverride: the build it records carries the project's
   variables, so nothing shows which action (LIFETIME_ACTION) a schedule asked for.
4. StartBuild and BatchGetBuilds return startTime / endTime (and the phases' times) as ISO
   strings; the JSON protocol has them as epoch seconds, and the AWS SDK v3 fails to read them.

AWS: the project returns concurrentBuildLimit when set and projectVisibility (PRIVATE unless
made public); UpdateProject changes the fields it is given and returns the project; a build's
environment.environmentVariables are the project's with the overrides applied.

Patch: keeps both fields at creation, adds UpdateProject (fields given replace the project's;
lastModified moves), applies the overrides to the build StartBuild records, and answers the
builds' times as epoch seconds (moto keeps its own ISO strings inside). Builds still
never run (moto has no build runner): BatchGetBuilds reports them SUCCEEDED, as moto always did.
"""
import json
from typing import Any

from moto.codebuild import responses
from moto.core.utils import unix_time

# request fields of UpdateProject, as they are named in the project's description
_UPDATABLE = [
    "description", "source", "secondarySources", "sourceVersion", "secondarySourceVersions", "artifacts", "secondaryArtifacts",
    "cache", "environment", "serviceRole", "timeoutInMinutes", "queuedTimeoutInMinutes", "encryptionKey", "tags", "vpcConfig",
    "badgeEnabled", "logsConfig", "fileSystemLocations", "buildBatchConfig", "concurrentBuildLimit",
]


def _epoch(build: dict[str, Any]) -> dict[str, Any]:
    """A copy of a build with its times as epoch seconds, as the JSON protocol has them."""
    from moto.core.parse import default_timestamp_parser

    def conv(v: Any) -> Any:
        return default_timestamp_parser(v).timestamp() if isinstance(v, str) else v

    out = dict(build)
    for k in ("startTime", "endTime"):
        if k in out:
            out[k] = conv(out[k])
    out["phases"] = [{**ph, **{k: conv(ph[k]) for k in ("startTime", "endTime") if k in ph}} for ph in build.get("phases", [])]
    return out


def apply() -> None:
    orig_create = responses.CodeBuildResponse.create_project
    orig_start = responses.CodeBuildResponse.start_build
    orig_batch = responses.CodeBuildResponse.batch_get_builds

    def create_project(self: responses.CodeBuildResponse) -> str:
        out = orig_create(self)
        meta = self.codebuild_backend.codebuild_projects[self._get_param("name")].project_metadata
        if self._get_param("concurrentBuildLimit") is not None:
            meta["concurrentBuildLimit"] = self._get_param("concurrentBuildLimit")
        meta["projectVisibility"] = "PRIVATE"
        return json.dumps({"project": meta})

    def update_project(self: responses.CodeBuildResponse) -> str:
        name = self._get_param("name")
        project = self.codebuild_backend.codebuild_projects.get(name)
        if project is None:
            from moto.codebuild.exceptions import ResourceNotFoundException

            raise ResourceNotFoundException(f"Project cannot be found: {name}")
        meta = project.project_metadata
        for field in _UPDATABLE:
            value = self._get_param(field)
            if value is not None:
                meta[field] = value
        if self._get_param("serviceRole"):
            project.service_role = self._get_param("serviceRole")
        meta["lastModifiedDate"] = unix_time()
        return json.dumps({"project": meta})

    def start_build(self: responses.CodeBuildResponse) -> str:
        out: dict[str, Any] = json.loads(orig_start(self))
        project = self.codebuild_backend.codebuild_projects[self._get_param("projectName")]
        variables = {v["name"]: v for v in project.project_metadata.get("environment", {}).get("environmentVariables", [])}
        for v in self._get_param("environmentVariablesOverride") or []:
            variables[v["name"]] = {"name": v["name"], "value": v.get("value", ""), "type": v.get("type", "PLAINTEXT")}
        build = out["build"]
        build["environment"] = {**build.get("environment", {}), **project.project_metadata.get("environment", {}), "environmentVariables": list(variables.values())}
        # the stored history holds the same dict moto returned: keep it in step
        for history in self.codebuild_backend.build_metadata_history.values():
            for b in history:
                if b["id"] == build["id"]:
                    b["environment"] = build["environment"]
        return json.dumps({"build": _epoch(build)})

    def batch_get_builds(self: responses.CodeBuildResponse) -> str:
        out: dict[str, Any] = json.loads(orig_batch(self))
        return json.dumps({**out, "builds": [_epoch(b) for b in out.get("builds", [])]})

    responses.CodeBuildResponse.batch_get_builds = batch_get_builds  # type: ignore[method-assign]
    responses.CodeBuildResponse.create_project = create_project  # type: ignore[method-assign]
    responses.CodeBuildResponse.update_project = update_project  # type: ignore[attr-defined]
    responses.CodeBuildResponse.start_build = start_build  # type: ignore[method-assign]
