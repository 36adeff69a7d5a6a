"""AWS Budgets: subscribers, UpdateBudget and tagging for aws_budgets_budget.

Gap (moto 5.2.1): DescribeSubscribersForNotification, UpdateBudget, UpdateNotification,
Create/Delete/UpdateSubscriber and TagResource / UntagResource / ListTagsForResource are not
implemented (500 NotImplementedError), CreateBudget ignores ResourceTags, and
DescribeNotificationsForBudget on an unknown budget raises KeyError (500). The provider reads
every notification's subscribers and the budget's tags after each create, so it retried the
500s until its timeout ("hangs").

AWS: a budget's ARN is arn:aws:budgets::<account>:budget/<name>; tags are ResourceTags
[{Key, Value}]; a notification is identified by (NotificationType, ComparisonOperator,
Threshold, ThresholdType) and is returned with NotificationState (OK by default); subscribers
are [{SubscriptionType: EMAIL|SNS, Address}]; UpdateBudget replaces the budget definition but
keeps its notifications; unknown budgets/notifications answer NotFoundException (400).

Patch: stores subscribers per notification (moto already keeps them), matches notifications on
the identifying fields only, keeps tags in a TaggingService keyed by the budget ARN (dropped
with the budget), and adds the missing operations to the JSON response class.
"""
import json
from typing import Any

from moto.budgets import models as bm
from moto.budgets.exceptions import NotFoundException
from moto.budgets.responses import BudgetsResponse
from moto.core.utils import unix_time
from moto.utilities.tagging_service import TaggingService

_KEY_FIELDS = ("NotificationType", "ComparisonOperator", "Threshold", "ThresholdType")


def _key(details: dict[str, Any]) -> tuple:
    return tuple(
        float(details.get(f)) if f == "Threshold" and details.get(f) is not None else details.get(f)
        for f in _KEY_FIELDS
    )


def _arn(account_id: str, name: str) -> str:
    return f"arn:aws:budgets::{account_id}:budget/{name}"


def _tagger(backend: bm.BudgetsBackend) -> TaggingService:
    if not hasattr(backend, "_emu_tagger"):
        backend._emu_tagger = TaggingService(tag_name="ResourceTags")  # type: ignore[attr-defined]
    return backend._emu_tagger  # type: ignore[attr-defined]


def _budget(backend: bm.BudgetsBackend, account_id: str, name: str) -> bm.Budget:
    budget = backend.budgets[account_id].get(name)
    if budget is None:
        raise NotFoundException(f"Unable to get budget: {name} - the budget doesn't exist.")
    return budget


def _notification(budget: bm.Budget, details: dict[str, Any], name: str) -> bm.Notification:
    for n in budget.notifications:
        if _key(n.details) == _key(details):
            return n
    raise NotFoundException(f"Unable to find notification for budget: {name}")


def _parse_arn(arn: str) -> tuple[str, str]:
    # arn:aws:budgets::123456789012:budget/name
    parts = arn.split(":", 5)
    if len(parts) < 6 or not parts[5].startswith("budget/"):
        raise NotFoundException(f"Resource {arn} not found")
    return parts[4], parts[5][len("budget/"):]


def apply() -> None:
    orig_create = BudgetsResponse.create_budget
    orig_delete = BudgetsResponse.delete_budget

    def create_budget(self: BudgetsResponse) -> str:
        out = orig_create(self)
        tags = self._get_param("ResourceTags") or []
        if tags:
            name = self._get_param("Budget")["BudgetName"]
            _tagger(self.backend).tag_resource(_arn(self._get_param("AccountId"), name), tags)
        return out

    def delete_budget(self: BudgetsResponse) -> str:
        out = orig_delete(self)
        _tagger(self.backend).delete_all_tags_for_resource(
            _arn(self._get_param("AccountId"), self._get_param("BudgetName"))
        )
        return out

    def update_budget(self: BudgetsResponse) -> str:
        account_id = self._get_param("AccountId")
        new = dict(self._get_param("NewBudget"))
        budget = _budget(self.backend, account_id, new["BudgetName"])
        if "BudgetLimit" not in new and "PlannedBudgetLimits" not in new:
            raise bm.BudgetMissingLimit()
        new.setdefault("TimePeriod", budget.budget.get("TimePeriod"))
        new["LastUpdatedTime"] = unix_time()
        budget.budget = new
        return json.dumps({})

    def describe_notifications_for_budget(self: BudgetsResponse) -> str:
        account_id = self._get_param("AccountId")
        name = self._get_param("BudgetName")
        budget = _budget(self.backend, account_id, name)
        notes = [{"NotificationState": "OK", **n.details} for n in budget.notifications]
        return json.dumps({"Notifications": notes})

    def describe_subscribers_for_notification(self: BudgetsResponse) -> str:
        account_id = self._get_param("AccountId")
        name = self._get_param("BudgetName")
        budget = _budget(self.backend, account_id, name)
        note = _notification(budget, self._get_param("Notification"), name)
        return json.dumps({"Subscribers": list(note.subscribers or [])})

    def update_notification(self: BudgetsResponse) -> str:
        name = self._get_param("BudgetName")
        budget = _budget(self.backend, self._get_param("AccountId"), name)
        note = _notification(budget, self._get_param("OldNotification"), name)
        note.details = self._get_param("NewNotification")
        return json.dumps({})

    def create_subscriber(self: BudgetsResponse) -> str:
        name = self._get_param("BudgetName")
        budget = _budget(self.backend, self._get_param("AccountId"), name)
        note = _notification(budget, self._get_param("Notification"), name)
        sub = self._get_param("Subscriber")
        if sub not in note.subscribers:
            note.subscribers = list(note.subscribers or []) + [sub]
        return json.dumps({})

    def delete_subscriber(self: BudgetsResponse) -> str:
        name = self._get_param("BudgetName")
        budget = _budget(self.backend, self._get_param("AccountId"), name)
        note = _notification(budget, self._get_param("Notification"), name)
        sub = self._get_param("Subscriber")
        note.subscribers = [s for s in note.subscribers or [] if s != sub]
        return json.dumps({})

    def update_subscriber(self: BudgetsResponse) -> str:
        name = self._get_param("BudgetName")
        budget = _budget(self.backend, self._get_param("AccountId"), name)
        note = _notification(budget, self._get_param("Notification"), name)
        old, new = self._get_param("OldSubscriber"), self._get_param("NewSubscriber")
        note.subscribers = [new if s == old else s for s in note.subscribers or []]
        return json.dumps({})

    def tag_resource(self: BudgetsResponse) -> str:
        arn = self._get_param("ResourceARN")
        _budget(self.backend, *_parse_arn(arn))
        _tagger(self.backend).tag_resource(arn, self._get_param("ResourceTags") or [])
        return json.dumps({})

    def untag_resource(self: BudgetsResponse) -> str:
        arn = self._get_param("ResourceARN")
        _budget(self.backend, *_parse_arn(arn))
        _tagger(self.backend).untag_resource_using_names(arn, self._get_param("ResourceTagKeys") or [])
        return json.dumps({})

    def list_tags_for_resource(self: BudgetsResponse) -> str:
        arn = self._get_param("ResourceARN")
        _budget(self.backend, *_parse_arn(arn))
        tags = _tagger(self.backend).list_tags_for_resource(arn)["ResourceTags"]
        return json.dumps({"ResourceTags": tags})

    for fn in (
        create_budget,
        delete_budget,
        update_budget,
        describe_notifications_for_budget,
        describe_subscribers_for_notification,
        update_notification,
        create_subscriber,
        delete_subscriber,
        update_subscriber,
        tag_resource,
        untag_resource,
        list_tags_for_resource,
    ):
        setattr(BudgetsResponse, fn.__name__, fn)
