"""S3: bucket Intelligent-Tiering configurations (and lifecycle And-filter round trip).

Gap 1 (moto 5.2.1): `?intelligent-tiering` is not routed. PUT /<bucket>?intelligent-tiering&id=X
falls through to CreateBucket (200, nothing stored), GET falls through to ListObjects and
DELETE to DeleteBucket, so aws_s3_bucket_intelligent_tiering_configuration "creates" but reads
back an empty configuration (perpetual diff) and its destroy tries to delete the bucket.

AWS: PutBucketIntelligentTieringConfiguration stores <IntelligentTieringConfiguration> (Id,
optional Filter {Prefix | Tag | And {Prefix, Tag*}}, Status, Tiering* {Days, AccessTier}) per
Id; Get returns it as the body; List returns <ListBucketIntelligentTieringConfigurationsOutput>
with IsTruncated and every configuration; Delete answers 204; an unknown Id answers 404
NoSuchConfiguration. PUT/DELETE answer 200/204 with an empty body.

Patch: intercepts those requests ahead of moto's bucket dispatch (authorizing them as
s3:GetIntelligentTieringConfiguration / s3:PutIntelligentTieringConfiguration, as AWS does, which
moto's skipped dispatch would otherwise not), keeps the configurations on the bucket object (so
they go when the bucket goes) and serialises them back in AWS's element order.

Gap 2 (moto 5.2.1): lifecycle filters lose ObjectSizeGreaterThan / ObjectSizeLessThan (moto's
LifecycleFilter/LifecycleAndFilter have no field for them). For an `and { prefix, tags }`
filter the provider always sends <And><ObjectSizeGreaterThan>0</ObjectSizeGreaterThan>..., then
polls GetBucketLifecycleConfiguration until the rules it reads equal the rules it put; moto
answers without the size, so the wait never succeeds (3 min timeout, "never satisfies the
wait"). AWS returns the rules as they were put. Patch: after moto has validated and stored a
PutBucketLifecycleConfiguration, the rules as sent are kept on the bucket and
GetBucketLifecycleConfiguration answers with them (moto's headers, e.g.
x-amz-transition-default-minimum-object-size, and its NoSuchLifecycleConfiguration after a
delete are kept).
"""
from typing import Any
from xml.sax.saxutils import escape

import xmltodict
from moto.s3.responses import S3Response

_NS = "http://s3.amazonaws.com/doc/2006-03-01/"


def _as_list(v: Any) -> list:
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def _tag_xml(tags: list[dict[str, Any]]) -> str:
    return "".join(
        f"<Tag><Key>{escape(t.get('Key') or '')}</Key><Value>{escape(t.get('Value') or '')}</Value></Tag>"
        for t in tags
    )


def _filter_xml(f: dict[str, Any] | None) -> str:
    if not f:
        return ""
    inner = ""
    if f.get("Prefix") is not None:
        inner += f"<Prefix>{escape(f.get('Prefix') or '')}</Prefix>"
    if f.get("Tag"):
        inner += _tag_xml(_as_list(f["Tag"]))
    if f.get("And"):
        a = f["And"]
        and_inner = ""
        if a.get("Prefix") is not None:
            and_inner += f"<Prefix>{escape(a.get('Prefix') or '')}</Prefix>"
        and_inner += _tag_xml(_as_list(a.get("Tag")))
        inner += f"<And>{and_inner}</And>"
    return f"<Filter>{inner}</Filter>"


def _config_xml(cfg: dict[str, Any]) -> str:
    tierings = "".join(
        f"<Tiering><Days>{int(t['Days'])}</Days><AccessTier>{escape(t['AccessTier'])}</AccessTier></Tiering>"
        for t in _as_list(cfg.get("Tiering"))
    )
    return (
        f"<Id>{escape(cfg['Id'])}</Id>{_filter_xml(cfg.get('Filter'))}"
        f"<Status>{escape(cfg.get('Status') or 'Enabled')}</Status>{tierings}"
    )


def _error(status: int, code: str, message: str, bucket: str) -> tuple[int, dict[str, str], str]:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<Error><Code>{code}</Code><Message>{escape(message)}</Message>"
        f"<BucketName>{escape(bucket)}</BucketName><RequestId>emulator</RequestId></Error>"
    )
    return status, {"content-type": "application/xml"}, body


def _intelligent_tiering(self: S3Response, method: str, bucket_name: str, querystring: dict[str, Any]) -> Any:
    # authorized as AWS does (iam_enforcement.py): intercepted ahead of moto's own check
    self.data["Action"] = "GetIntelligentTieringConfiguration" if method == "GET" else "PutIntelligentTieringConfiguration"
    self._authenticate_and_authorize_s3_action(bucket_name=bucket_name)
    bucket = self.backend.get_bucket(bucket_name)  # raises NoSuchBucket
    configs: dict[str, dict[str, Any]] = bucket.__dict__.setdefault("_emu_intelligent_tiering", {})
    config_id = (querystring.get("id") or [None])[0]
    if method == "GET" and config_id is None:
        self.data["Action"] = "ListBucketIntelligentTieringConfigurations"
        items = "".join(
            f"<IntelligentTieringConfiguration>{_config_xml(c)}</IntelligentTieringConfiguration>"
            for _, c in sorted(configs.items())
        )
        return 200, {"content-type": "application/xml"}, (
            f'<?xml version="1.0" encoding="UTF-8"?><ListBucketIntelligentTieringConfigurationsOutput xmlns="{_NS}">'
            f"<IsTruncated>false</IsTruncated>{items}</ListBucketIntelligentTieringConfigurationsOutput>"
        )
    if not config_id:
        return _error(400, "InvalidArgument", "Id is required", bucket_name)
    if method == "PUT":
        self.data["Action"] = "PutBucketIntelligentTieringConfiguration"
        body = self.body.decode("utf-8") if isinstance(self.body, bytes) else self.body
        parsed = xmltodict.parse(body)["IntelligentTieringConfiguration"]
        if parsed.get("Id") != config_id:
            return _error(400, "InvalidArgument", "Id in the body does not match the id parameter", bucket_name)
        tierings = _as_list(parsed.get("Tiering"))
        if not tierings:
            return _error(400, "MalformedXML", "The XML you provided was not well-formed", bucket_name)
        configs[config_id] = {
            "Id": config_id,
            "Filter": parsed.get("Filter"),
            "Status": parsed.get("Status"),
            "Tiering": tierings,
        }
        return 200, {}, ""
    if config_id not in configs:
        return _error(404, "NoSuchConfiguration", "The specified configuration does not exist.", bucket_name)
    if method == "DELETE":
        self.data["Action"] = "DeleteBucketIntelligentTieringConfiguration"
        del configs[config_id]
        return 204, {}, ""
    self.data["Action"] = "GetBucketIntelligentTieringConfiguration"
    return 200, {"content-type": "application/xml"}, (
        f'<?xml version="1.0" encoding="UTF-8"?><IntelligentTieringConfiguration xmlns="{_NS}">'
        f"{_config_xml(configs[config_id])}</IntelligentTieringConfiguration>"
    )


def _stash_lifecycle(self: S3Response, bucket_name: str) -> None:
    body = self.body.decode("utf-8") if isinstance(self.body, bytes) else self.body
    rules = _as_list(xmltodict.parse(body)["LifecycleConfiguration"].get("Rule"))
    self.backend.get_bucket(bucket_name).__dict__["_emu_lifecycle_rules"] = rules


def _lifecycle_xml(rules: list[dict[str, Any]]) -> str:
    inner = "".join(xmltodict.unparse({"Rule": r}, full_document=False) for r in rules)
    return f'<?xml version="1.0" encoding="UTF-8"?><LifecycleConfiguration xmlns="{_NS}">{inner}</LifecycleConfiguration>'


def apply() -> None:
    orig_get = S3Response._bucket_response_get
    orig_put = S3Response._bucket_response_put
    orig_delete = S3Response._bucket_response_delete
    orig_get_lifecycle = S3Response.get_bucket_lifecycle

    def _bucket_response_get(self: S3Response, bucket_name: str, querystring: dict[str, Any]) -> Any:
        if "intelligent-tiering" in querystring:
            return _intelligent_tiering(self, "GET", bucket_name, querystring)
        return orig_get(self, bucket_name, querystring)

    def _bucket_response_put(self: S3Response, request: Any, bucket_name: str, querystring: dict[str, Any]) -> Any:
        if "intelligent-tiering" in querystring:
            return _intelligent_tiering(self, "PUT", bucket_name, querystring)
        resp = orig_put(self, request, bucket_name, querystring)
        if "lifecycle" in querystring:  # moto validated and stored it: keep AWS's view too
            _stash_lifecycle(self, bucket_name)
        return resp

    def _bucket_response_delete(self: S3Response, bucket_name: str, querystring: dict[str, Any]) -> Any:
        if "intelligent-tiering" in querystring:
            return _intelligent_tiering(self, "DELETE", bucket_name, querystring)
        return orig_delete(self, bucket_name, querystring)

    def get_bucket_lifecycle(self: S3Response) -> Any:
        resp = orig_get_lifecycle(self)  # raises NoSuchLifecycleConfiguration when deleted
        rules = self.backend.get_bucket(self.bucket_name).__dict__.get("_emu_lifecycle_rules")
        if rules and isinstance(resp, tuple) and len(resp) == 3:
            status, headers, _ = resp
            return status, headers, _lifecycle_xml(rules)
        return resp

    S3Response._bucket_response_get = _bucket_response_get  # type: ignore[method-assign]
    S3Response._bucket_response_put = _bucket_response_put  # type: ignore[method-assign]
    S3Response._bucket_response_delete = _bucket_response_delete  # type: ignore[method-assign]
    S3Response.get_bucket_lifecycle = get_bucket_lifecycle  # type: ignore[method-assign]
