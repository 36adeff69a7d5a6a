"""EKS gaps in moto 5.2.1 that the scheduler and the Terraform AWS provider hit.

1. Node group tags. moto's TagResource / UntagResource / ListTagsForResource only look up
   clusters; real EKS tags managed node groups (and Fargate profiles) by ARN too. The provider
   reads node group tags back through ListTagsForResource after create and changes them with
   TagResource / UntagResource. Patched: those three operations also resolve node group and
   Fargate profile ARNs. (DescribeNodegroup already returned the tags given at CreateNodegroup.)

2. remoteAccess read back when none was requested. moto fills every node group without one
   with `{"ec2SshKey": "eksKeypair"}` (and a remote-access security group), so the provider
   reads a `remote_access` block the configuration never had and plans a replacement of the
   node group on every plan. Patched: no remoteAccess (and no remoteAccessSecurityGroup) unless
   CreateNodegroup asked for it, as in real EKS.

3. Shared default scaling config. A node group created without scalingConfig gets moto's
   module-level default dict, and UpdateNodegroupConfig mutates it in place, changing every
   such group at once. Patched: each group gets its own copy.

4. UpdateNodegroupConfig accepted any scalingConfig. Real EKS rejects maxSize < 1,
   minSize > maxSize, desiredSize outside [minSize, maxSize] (InvalidParameterException).
   Patched: the same validation (on the merged result), the returned update carries the real
   param types (MinSize / MaxSize / DesiredSize, LabelsToAdd, ...), and it is recorded.

5. DescribeUpdate / ListUpdates missing (and UpdateClusterConfig returned the cluster instead
   of an `update`, which the serializer dropped). The provider waits on DescribeUpdate after
   every UpdateNodegroupConfig / UpdateNodegroupVersion / UpdateClusterConfig /
   UpdateClusterVersion. Patched: those operations record an update (status Successful: moto
   applies changes at once) per cluster or node group, and DescribeUpdate / ListUpdates
   (paginated, filtered by nodegroupName) return them. UpdateNodegroupVersion and
   UpdateClusterVersion are added (they set version / releaseVersion / launch template).

6. CreateNodegroup dropped updateConfig (and nodeRepairConfig): moto's response handler never
   reads them, so DescribeNodegroup answers without the node group's disruption budget
   (`update_config { max_unavailable = 1 }`) and every plan wants to add it again. Patched:
   both are kept from the request and returned, as EKS does.

7. upgradePolicy dropped: CreateCluster and UpdateClusterConfig ignore it and DescribeCluster
   returns none, so aws_eks_cluster with upgrade_policy { support_type = "STANDARD" } plans an
   update on every plan. EKS keeps it (supportType STANDARD or EXTENDED; EXTENDED when not
   given) and returns it. Patched: kept from CreateCluster and UpdateClusterConfig, returned.
"""
_APPLIED = False


def _new_update(update_type, params):
    from moto.core.utils import utcnow
    from moto.moto_api._internal import mock_random as random

    return {
        "id": str(random.uuid4()),
        "status": "Successful",
        "type": update_type,
        "params": [{"type": t, "value": str(v)} for t, v in params],
        "createdAt": utcnow(),
        "errors": [],
    }


def _record(target, update):
    if not hasattr(target, "emulator_updates"):
        target.emulator_updates = []
    target.emulator_updates.append(update)
    return update


def apply():
    global _APPLIED
    if _APPLIED:
        return
    _APPLIED = True

    from moto.core.responses import ActionResult
    from moto.eks import models, urls
    from moto.eks.exceptions import InvalidParameterException, ResourceNotFoundException
    from moto.eks.responses import EKSResponse

    # --- 2 and 3: node group defaults -------------------------------------------------------
    original_init = models.Nodegroup.__init__

    def nodegroup_init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.scaling_config = dict(self.scaling_config)
        if not kwargs.get("remote_access"):
            self.remote_access = None
            self.resources = {k: v for k, v in self.resources.items() if k != "remoteAccessSecurityGroup"}
        self.emulator_updates = []

    models.Nodegroup.__init__ = nodegroup_init

    # --- 6: updateConfig / nodeRepairConfig given at creation --------------------------------
    original_create_nodegroup = EKSResponse.create_nodegroup

    def create_nodegroup(self):
        result = original_create_nodegroup(self)
        cluster = self.eks_backend.clusters.get(self._get_param("name"))
        nodegroup = cluster.nodegroups.get(self._get_param("nodegroupName")) if cluster else None
        if nodegroup is not None:
            if self._get_param("updateConfig"):
                nodegroup.update_config = self._get_param("updateConfig")
            if self._get_param("nodeRepairConfig"):
                nodegroup.node_repair_config = self._get_param("nodeRepairConfig")
        return result

    EKSResponse.create_nodegroup = create_nodegroup

    # --- 1: tags on node groups and Fargate profiles --------------------------------------
    def find_taggable(backend, arn):
        for cluster in backend.clusters.values():
            if cluster.arn == arn:
                return cluster
            for ng in cluster.nodegroups.values():
                if ng.arn == arn:
                    return ng
            for fp in cluster.fargate_profiles.values():
                if fp.fargate_profile_arn == arn:
                    return fp
        raise ResourceNotFoundException(
            clusterName=None,
            nodegroupName=None,
            fargateProfileName=None,
            addonName=None,
            message=f"Resource was not found: {arn}",
        )

    def tag_resource(self, resource_arn, tags):
        find_taggable(self, resource_arn).tags.update(tags or {})

    def untag_resource(self, resource_arn, tag_keys):
        if not isinstance(tag_keys, list):
            tag_keys = [tag_keys]
        target = find_taggable(self, resource_arn)
        for key in tag_keys:
            target.tags.pop(key, None)

    def list_tags_for_resource(self, resource_arn):
        return find_taggable(self, resource_arn).tags

    models.EKSBackend.tag_resource = tag_resource
    models.EKSBackend.untag_resource = untag_resource
    models.EKSBackend.list_tags_for_resource = list_tags_for_resource

    # --- 4: UpdateNodegroupConfig validation and a recorded update ------------------------
    original_update_ng = models.EKSBackend.update_nodegroup_config

    def update_nodegroup_config(self, cluster_name, nodegroup_name, labels=None, taints=None,
                                scaling_config=None, update_config=None, node_repair_config=None,
                                client_request_token=None):
        nodegroup = self.describe_nodegroup(cluster_name, nodegroup_name)  # raises NotFound
        if scaling_config:
            merged = {**nodegroup.scaling_config, **scaling_config}
            lo, want, hi = merged.get("minSize", 0), merged.get("desiredSize", 0), merged.get("maxSize", 1)
            problem = None
            if hi < 1:
                problem = f"maxSize must be at least 1, got {hi}"
            elif lo < 0 or want < 0:
                problem = "minSize and desiredSize must be >= 0"
            elif lo > hi:
                problem = f"minSize ({lo}) can not be greater than maxSize ({hi})"
            elif not lo <= want <= hi:
                problem = f"desiredSize ({want}) must be between minSize ({lo}) and maxSize ({hi})"
            if problem:
                raise InvalidParameterException(
                    clusterName=cluster_name, nodegroupName=nodegroup_name, message=problem
                )
        original_update_ng(self, cluster_name, nodegroup_name, labels=labels, taints=taints,
                           scaling_config=scaling_config, update_config=update_config,
                           node_repair_config=node_repair_config,
                           client_request_token=client_request_token)
        params = []
        for key, ptype in (("minSize", "MinSize"), ("maxSize", "MaxSize"), ("desiredSize", "DesiredSize")):
            if scaling_config and key in scaling_config:
                params.append((ptype, scaling_config[key]))
        if labels:
            if labels.get("addOrUpdateLabels"):
                params.append(("LabelsToAdd", labels["addOrUpdateLabels"]))
            if labels.get("removeLabels"):
                params.append(("LabelsToRemove", labels["removeLabels"]))
        if taints:
            if taints.get("addOrUpdateTaints"):
                params.append(("TaintsToAdd", taints["addOrUpdateTaints"]))
            if taints.get("removeTaints"):
                params.append(("TaintsToRemove", taints["removeTaints"]))
        if update_config:
            for key, ptype in (("maxUnavailable", "MaxUnavailable"),
                               ("maxUnavailablePercentage", "MaxUnavailablePercentage")):
                if key in update_config:
                    params.append((ptype, update_config[key]))
        if node_repair_config:
            params.append(("NodeRepairEnabled", node_repair_config.get("enabled")))
        return _record(nodegroup, _new_update("ConfigUpdate", params))

    models.EKSBackend.update_nodegroup_config = update_nodegroup_config

    # --- 5: versions, cluster config updates, DescribeUpdate / ListUpdates ----------------
    def update_nodegroup_version(self, cluster_name, nodegroup_name, version=None,
                                 release_version=None, launch_template=None):
        nodegroup = self.describe_nodegroup(cluster_name, nodegroup_name)
        params = []
        if version:
            nodegroup.version = version
            params.append(("Version", version))
        if release_version:
            nodegroup.release_version = release_version
            params.append(("ReleaseVersion", release_version))
        if launch_template:
            current = dict(nodegroup.launch_template or {})
            current.update({k: v for k, v in launch_template.items() if v})
            nodegroup.launch_template = current
            if launch_template.get("name"):
                params.append(("LaunchTemplateName", launch_template["name"]))
            if launch_template.get("version"):
                params.append(("LaunchTemplateVersion", launch_template["version"]))
        return _record(nodegroup, _new_update("VersionUpdate", params))

    def update_cluster_version(self, name, version):
        cluster = self.describe_cluster(name)
        cluster.version = version
        return _record(cluster, _new_update("VersionUpdate", [("Version", version)]))

    def cluster_config_update(self, name, resources_vpc_config=None, logging=None,
                              kubernetes_network_config=None, remote_network_config=None, upgrade_policy=None):
        cluster = self.describe_cluster(name)
        params = []
        if upgrade_policy:
            cluster.upgrade_policy = dict(upgrade_policy)
            params.append(("UpgradePolicy", upgrade_policy))
            if not (resources_vpc_config or logging or kubernetes_network_config or remote_network_config):
                return _record(cluster, _new_update("UpgradePolicyUpdate", params))
        if logging:
            params.append(("ClusterLogging", logging.get("clusterLogging")))
        if resources_vpc_config:
            for key, ptype in (("endpointPublicAccess", "EndpointPublicAccess"),
                               ("endpointPrivateAccess", "EndpointPrivateAccess"),
                               ("publicAccessCidrs", "PublicAccessCidrs"),
                               ("subnetIds", "Subnets"), ("securityGroupIds", "SecurityGroups")):
                if key in resources_vpc_config:
                    params.append((ptype, resources_vpc_config[key]))
            # moto replaces the whole block; EKS merges, and keeps vpcId / clusterSecurityGroupId
            merged = dict(cluster.resources_vpc_config or {})
            merged.update(resources_vpc_config)
            resources_vpc_config = merged
        self.update_cluster_config(name=name, resources_vpc_config=resources_vpc_config,
                                   logging=logging, kubernetes_network_config=kubernetes_network_config,
                                   remote_network_config=remote_network_config)
        if kubernetes_network_config:
            params.append(("KubernetesNetworkConfig", kubernetes_network_config))
        if remote_network_config:
            params.append(("RemoteNetworkConfig", remote_network_config))
        return _record(cluster, _new_update("EndpointAccessUpdate" if resources_vpc_config and not logging
                                            else "LoggingUpdate" if logging else "ConfigUpdate", params))

    def updates_of(self, name, nodegroup_name=None):
        cluster = self.describe_cluster(name)
        target = self.describe_nodegroup(name, nodegroup_name) if nodegroup_name else cluster
        return getattr(target, "emulator_updates", [])

    def describe_update(self, name, update_id, nodegroup_name=None):
        for update in updates_of(self, name, nodegroup_name):
            if update["id"] == update_id:
                return update
        raise ResourceNotFoundException(
            clusterName=name, nodegroupName=nodegroup_name, fargateProfileName=None,
            addonName=None, message=f"No update found for ID: {update_id}",
        )

    models.EKSBackend.update_nodegroup_version = update_nodegroup_version
    models.EKSBackend.update_cluster_version = update_cluster_version
    models.EKSBackend.cluster_config_update = cluster_config_update
    models.EKSBackend.updates_of = updates_of
    models.EKSBackend.describe_update = describe_update

    def r_update_cluster_config(self):
        update = self.eks_backend.cluster_config_update(
            name=self._get_param("name"),
            resources_vpc_config=self._get_param("resourcesVpcConfig"),
            logging=self._get_param("logging"),
            kubernetes_network_config=self._get_param("kubernetesNetworkConfig"),
            remote_network_config=self._get_param("remoteNetworkConfig"),
            upgrade_policy=self._get_param("upgradePolicy"),
        )
        return ActionResult({"update": update})

    # --- 7: upgradePolicy kept and returned ----------------------------------------------------
    original_create_cluster = EKSResponse.create_cluster

    def r_create_cluster(self):
        result = original_create_cluster(self)
        cluster = self.eks_backend.clusters.get(self._get_param("name"))
        if cluster is not None:
            cluster.upgrade_policy = dict(self._get_param("upgradePolicy") or {"supportType": "EXTENDED"})
        return result

    EKSResponse.create_cluster = r_create_cluster

    def r_update_nodegroup_version(self):
        update = self.eks_backend.update_nodegroup_version(
            cluster_name=self._get_param("name"),
            nodegroup_name=self._get_param("nodegroupName"),
            version=self._get_param("version"),
            release_version=self._get_param("releaseVersion"),
            launch_template=self._get_param("launchTemplate"),
        )
        return ActionResult({"update": update})

    def r_update_cluster_version(self):
        update = self.eks_backend.update_cluster_version(
            name=self._get_param("name"), version=self._get_param("version")
        )
        return ActionResult({"update": update})

    def r_describe_update(self):
        update = self.eks_backend.describe_update(
            name=self._get_param("name"),
            update_id=self._get_param("updateId"),
            nodegroup_name=self._get_param("nodegroupName"),
        )
        return ActionResult({"update": update})

    def r_list_updates(self):
        updates = self.eks_backend.updates_of(self._get_param("name"), self._get_param("nodegroupName"))
        ids = [u["id"] for u in updates]
        max_results = self._get_int_param("maxResults", 100)
        token = self._get_param("nextToken")
        start = int(token) if token and token.isdigit() else 0
        page = ids[start:start + max_results]
        result = {"updateIds": page}
        if start + max_results < len(ids):
            result["nextToken"] = str(start + max_results)
        return ActionResult(result)

    EKSResponse.update_cluster_config = r_update_cluster_config
    EKSResponse.update_nodegroup_version = r_update_nodegroup_version
    EKSResponse.update_cluster_version = r_update_cluster_version
    EKSResponse.describe_update = r_describe_update
    EKSResponse.list_updates = r_list_updates

    dispatch = urls.response.dispatch
    urls.url_paths.setdefault("{0}/clusters/(?P<name>[^/]+)/updates$", dispatch)
    urls.url_paths.setdefault("{0}/clusters/(?P<name>[^/]+)/updates/(?P<updateId>[^/]+)$", dispatch)
    urls.url_paths.setdefault(
        "{0}/clusters/(?P<name>[^/]+)/node-groups/(?P<nodegroupName>[^/]+)/update-version$", dispatch
    )
