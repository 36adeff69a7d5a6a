"""Cost Explorer: anomaly monitors/subscriptions, cost allocation tags, GetCostAndUsage figures.

Gap (moto 5.2.1): only cost categories, tagging and a queue-fed GetCostAndUsage exist.
Create/Get/Update/DeleteAnomalyMonitor, Create/Get/Update/DeleteAnomalySubscription,
UpdateCostAllocationTagsStatus and ListCostAllocationTags answer 500 NotImplementedError, so
aws_ce_anomaly_monitor, aws_ce_anomaly_subscription and aws_ce_cost_allocation_tag never
finish creating; tags passed as ResourceTags at creation are not kept for them; and
GetCostAndUsage returns an empty ResultsByTime unless a test queued a result, which gives the
`cost report` command nothing to show.

AWS: monitors are arn:aws:ce::<account>:anomalymonitor/<uuid> with MonitorName, MonitorType
(DIMENSIONAL with MonitorDimension, or CUSTOM with MonitorSpecification), CreationDate and
LastUpdatedDate as YYYY-MM-DD, DimensionalValueCount; subscriptions are
arn:aws:ce::<account>:anomalysubscription/<uuid> with AccountId, MonitorArnList, Subscribers
[{Address, Type, Status}], Frequency, ThresholdExpression; unknown ARNs answer
UnknownMonitorException / UnknownSubscriptionException (400). A cost allocation tag is
{TagKey, Type: UserDefined, Status: Active|Inactive, LastUpdatedDate}. GetCostAndUsage
returns one ResultByTime per granularity period; with GroupBy the Total is empty and each
Group has Keys (a service name, or "<tagKey>$<value>" with an empty value for untagged cost)
and the requested Metrics as {Amount: "<decimal string>", Unit}.

Patch: keeps monitors, subscriptions and tag statuses on the CE backend; tags given at
creation go to the backend's existing TaggingService so Tag/Untag/ListTagsForResource work on
them. GetCostAndUsage still serves moto's queued results first (its documented test API) and
otherwise returns a synthetic, deterministic month: fixed daily figures per service (the
services this platform runs), split by tag value, for every period of the requested interval.
"""
import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

from moto.ce.models import CostExplorerBackend
from moto.ce.responses import CostExplorerResponse
from moto.core.exceptions import JsonRESTError
from moto.moto_api._internal import mock_random


class _Unknown(JsonRESTError):
    code = 400


def _today() -> str:
    return date.today().isoformat()


# Daily cost in USD per service of a small always-on platform: deterministic, plausible shares.
DAILY_COST_BY_SERVICE = {
    "Amazon Elastic Compute Cloud - Compute": 12.40,
    "Amazon SageMaker": 6.75,
    "Amazon Elastic Container Service for Kubernetes": 2.40,
    "EC2 - Other": 1.10,
    "Amazon Simple Storage Service": 1.85,
    "AmazonCloudWatch": 0.62,
    "Amazon EC2 Container Registry (ECR)": 0.15,
    "AWS Lambda": 0.02,
}
# Share of the cost per tag value; "" is the untagged remainder, as Cost Explorer reports it.
TAG_SHARES = {
    "Project": [("retail-forecast", 0.9), ("", 0.1)],
    "Environment": [("prod", 0.5), ("staging", 0.2), ("dev", 0.15), ("sandbox", 0.05), ("", 0.1)],
    "ManagedBy": [("cdktf", 0.9), ("", 0.1)],
}
USAGE_PER_USD = 0.5  # UsageQuantity per USD, so the metric is there and stable


def _state(backend: CostExplorerBackend) -> dict[str, dict[str, Any]]:
    if not hasattr(backend, "_emu"):
        backend._emu = {"monitors": {}, "subscriptions": {}, "tags": {}}  # type: ignore[attr-defined]
    return backend._emu  # type: ignore[attr-defined]


def _periods(start: str, end: str, granularity: str) -> list[tuple[date, date]]:
    s, e = date.fromisoformat(start[:10]), date.fromisoformat(end[:10])
    out = []
    while s < e:
        if granularity == "MONTHLY":
            nxt = (s.replace(day=1) + timedelta(days=32)).replace(day=1)
        else:  # DAILY (HOURLY is answered per day too)
            nxt = s + timedelta(days=1)
        nxt = min(nxt, e)
        out.append((s, nxt))
        s = nxt
    return out


def _tag_filter(expr: dict[str, Any] | None) -> dict[str, list[str]]:
    """Tag key -> allowed values from a Filter (Tags at top level or inside And)."""
    if not expr:
        return {}
    out: dict[str, list[str]] = {}
    for e in [expr] + list(expr.get("And") or []):
        t = e.get("Tags")
        if t and t.get("Key"):
            out[t["Key"]] = list(t.get("Values") or [])
    return out


def _dimension_filter(expr: dict[str, Any] | None) -> list[str] | None:
    if not expr:
        return None
    for e in [expr] + list(expr.get("And") or []):
        d = e.get("Dimensions")
        if d and d.get("Key") == "SERVICE":
            return list(d.get("Values") or [])
    return None


def synthetic_cost_and_usage(params: dict[str, Any]) -> dict[str, Any]:
    granularity = params.get("Granularity", "MONTHLY")
    metrics = params.get("Metrics") or ["UnblendedCost"]
    group_by = params.get("GroupBy") or []
    tag_filter = _tag_filter(params.get("Filter"))
    services = _dimension_filter(params.get("Filter"))
    period = params.get("TimePeriod") or {}

    # rows: (keys, daily usd)
    rows: list[tuple[list[str], float]] = []
    for svc, usd in DAILY_COST_BY_SERVICE.items():
        if services is not None and svc not in services:
            continue
        share = 1.0
        for key, allowed in tag_filter.items():
            share *= sum(s for v, s in TAG_SHARES.get(key, [("", 1.0)]) if v in allowed)
        if share:
            rows.append(([svc], usd * share))

    def grouped(rows_in: list[tuple[list[str], float]]) -> list[tuple[list[str], float]]:
        by_service = {r[0][0]: r[1] for r in rows_in}
        result = []
        # expand each group definition in order (Cost Explorer allows two)
        partial: list[tuple[list[str], dict[str, float]]] = [([], dict(by_service))]
        for g in group_by:
            nxt: list[tuple[list[str], dict[str, float]]] = []
            for keys, costs in partial:
                if g.get("Type") == "DIMENSION" and g.get("Key") == "SERVICE":
                    for svc, usd in costs.items():
                        nxt.append((keys + [svc], {svc: usd}))
                elif g.get("Type") == "TAG":
                    tk = g.get("Key", "")
                    for value, share in TAG_SHARES.get(tk, [("", 1.0)]):
                        if tk in tag_filter and value not in tag_filter[tk]:
                            continue
                        nxt.append((keys + [f"{tk}${value}"], {s: u * share for s, u in costs.items()}))
                else:  # other dimensions: one bucket keyed by the dimension's usual value
                    nxt.append((keys + ["NoValue"], costs))
            partial = nxt
        for keys, costs in partial:
            result.append((keys, sum(costs.values())))
        return result

    def metric_values(usd: float) -> dict[str, Any]:
        out = {}
        for m in metrics:
            if m == "UsageQuantity":
                out[m] = {"Amount": f"{usd * USAGE_PER_USD:.10f}", "Unit": "N/A"}
            elif m == "NormalizedUsageAmount":
                out[m] = {"Amount": f"{usd * USAGE_PER_USD:.10f}", "Unit": "N/A"}
            else:
                out[m] = {"Amount": f"{usd:.10f}", "Unit": "USD"}
        return out

    results = []
    for s, e in _periods(period.get("Start", _today()), period.get("End", _today()), granularity):
        days = (e - s).days or 1
        if group_by:
            groups = [
                {"Keys": keys, "Metrics": metric_values(usd * days)}
                for keys, usd in grouped(rows)
            ]
            results.append(
                {"TimePeriod": {"Start": s.isoformat(), "End": e.isoformat()}, "Total": {}, "Groups": groups, "Estimated": False}
            )
        else:
            total = sum(u for _, u in rows) * days
            results.append(
                {"TimePeriod": {"Start": s.isoformat(), "End": e.isoformat()}, "Total": metric_values(total), "Groups": [], "Estimated": False}
            )
    out: dict[str, Any] = {"ResultsByTime": results, "DimensionValueAttributes": []}
    if group_by:
        out["GroupDefinitions"] = group_by
    return out


def apply() -> None:
    orig_get_cost_and_usage = CostExplorerBackend.get_cost_and_usage

    def get_cost_and_usage(self: CostExplorerBackend, body: str) -> dict[str, Any]:
        if body in self.cost_usage_results or self.cost_usage_results_queue:
            return orig_get_cost_and_usage(self, body)
        return synthetic_cost_and_usage(json.loads(body or "{}"))

    CostExplorerBackend.get_cost_and_usage = get_cost_and_usage  # type: ignore[method-assign]

    def _params(self: CostExplorerResponse) -> dict[str, Any]:
        return json.loads(self.body or "{}")

    # --- anomaly monitors -------------------------------------------------------------
    def create_anomaly_monitor(self: CostExplorerResponse) -> str:
        p = _params(self)
        mon = dict(p["AnomalyMonitor"])
        arn = f"arn:aws:ce::{self.current_account}:anomalymonitor/{mock_random.uuid4()}"
        mon.update(MonitorArn=arn, CreationDate=_today(), LastUpdatedDate=_today(), DimensionalValueCount=0)
        _state(self.ce_backend)["monitors"][arn] = mon
        self.ce_backend.tag_resource(arn, p.get("ResourceTags") or [])
        return json.dumps({"MonitorArn": arn})

    def _monitor(self: CostExplorerResponse, arn: str) -> dict[str, Any]:
        mon = _state(self.ce_backend)["monitors"].get(arn)
        if mon is None:
            raise _Unknown("UnknownMonitorException", f"No anomaly monitor found with ARN {arn}")
        return mon

    def get_anomaly_monitors(self: CostExplorerResponse) -> str:
        p = _params(self)
        arns = p.get("MonitorArnList")
        if arns:
            mons = [_monitor(self, a) for a in arns]
        else:
            mons = list(_state(self.ce_backend)["monitors"].values())
        return json.dumps({"AnomalyMonitors": mons})

    def update_anomaly_monitor(self: CostExplorerResponse) -> str:
        p = _params(self)
        mon = _monitor(self, p["MonitorArn"])
        if p.get("MonitorName"):
            mon["MonitorName"] = p["MonitorName"]
        mon["LastUpdatedDate"] = _today()
        return json.dumps({"MonitorArn": mon["MonitorArn"]})

    def delete_anomaly_monitor(self: CostExplorerResponse) -> str:
        arn = _params(self)["MonitorArn"]
        _monitor(self, arn)
        del _state(self.ce_backend)["monitors"][arn]
        self.ce_backend.tagger.delete_all_tags_for_resource(arn)
        return json.dumps({})

    # --- anomaly subscriptions --------------------------------------------------------
    def _subscribers(subs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"Status": "CONFIRMED", **s} for s in subs or []]

    def create_anomaly_subscription(self: CostExplorerResponse) -> str:
        p = _params(self)
        sub = dict(p["AnomalySubscription"])
        for arn in sub.get("MonitorArnList") or []:
            _monitor(self, arn)
        arn = f"arn:aws:ce::{self.current_account}:anomalysubscription/{mock_random.uuid4()}"
        sub.update(SubscriptionArn=arn, AccountId=self.current_account, Subscribers=_subscribers(sub.get("Subscribers")))
        _state(self.ce_backend)["subscriptions"][arn] = sub
        self.ce_backend.tag_resource(arn, p.get("ResourceTags") or [])
        return json.dumps({"SubscriptionArn": arn})

    def _subscription(self: CostExplorerResponse, arn: str) -> dict[str, Any]:
        sub = _state(self.ce_backend)["subscriptions"].get(arn)
        if sub is None:
            raise _Unknown("UnknownSubscriptionException", f"No anomaly subscription found with ARN {arn}")
        return sub

    def get_anomaly_subscriptions(self: CostExplorerResponse) -> str:
        p = _params(self)
        arns = p.get("SubscriptionArnList")
        if arns:
            subs = [_subscription(self, a) for a in arns]
        else:
            subs = list(_state(self.ce_backend)["subscriptions"].values())
        if p.get("MonitorArn"):
            subs = [s for s in subs if p["MonitorArn"] in (s.get("MonitorArnList") or [])]
        return json.dumps({"AnomalySubscriptions": subs})

    def update_anomaly_subscription(self: CostExplorerResponse) -> str:
        p = _params(self)
        sub = _subscription(self, p["SubscriptionArn"])
        for field in ("Threshold", "Frequency", "MonitorArnList", "SubscriptionName", "ThresholdExpression"):
            if field in p and p[field] is not None:
                sub[field] = p[field]
        if p.get("ThresholdExpression") is not None and p.get("Threshold") is None:
            sub.pop("Threshold", None)
        if p.get("Subscribers") is not None:
            sub["Subscribers"] = _subscribers(p["Subscribers"])
        return json.dumps({"SubscriptionArn": sub["SubscriptionArn"]})

    def delete_anomaly_subscription(self: CostExplorerResponse) -> str:
        arn = _params(self)["SubscriptionArn"]
        _subscription(self, arn)
        del _state(self.ce_backend)["subscriptions"][arn]
        self.ce_backend.tagger.delete_all_tags_for_resource(arn)
        return json.dumps({})

    # --- cost allocation tags ---------------------------------------------------------
    def update_cost_allocation_tags_status(self: CostExplorerResponse) -> str:
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        tags = _state(self.ce_backend)["tags"]
        for entry in _params(self).get("CostAllocationTagsStatus") or []:
            tags[entry["TagKey"]] = {
                "TagKey": entry["TagKey"],
                "Type": "UserDefined",
                "Status": entry["Status"],
                "LastUpdatedDate": now,
                "LastUsedDate": now,
            }
        return json.dumps({"Errors": []})

    def list_cost_allocation_tags(self: CostExplorerResponse) -> str:
        p = _params(self)
        tags = list(_state(self.ce_backend)["tags"].values())
        if p.get("TagKeys"):
            tags = [t for t in tags if t["TagKey"] in p["TagKeys"]]
        if p.get("Status"):
            tags = [t for t in tags if t["Status"] == p["Status"]]
        if p.get("Type"):
            tags = [t for t in tags if t["Type"] == p["Type"]]
        return json.dumps({"CostAllocationTags": tags})

    for fn in (
        create_anomaly_monitor,
        get_anomaly_monitors,
        update_anomaly_monitor,
        delete_anomaly_monitor,
        create_anomaly_subscription,
        get_anomaly_subscriptions,
        update_anomaly_subscription,
        delete_anomaly_subscription,
        update_cost_allocation_tags_status,
        list_cost_allocation_tags,
    ):
        setattr(CostExplorerResponse, fn.__name__, fn)
