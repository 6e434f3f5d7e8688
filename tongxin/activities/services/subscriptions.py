"""A member's or volunteer's subscription: which categories, in which communities."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.people.models import Person
from tongxin.territory.models import Territory

from ..models import CATEGORY_BIT, Subscription
from .common import own_person_id
from .errors import ActivityError

MAX_COMMUNITIES = 10


def subscription_save(
    *,
    person: Person,
    categories: Iterable[str],
    communities: Iterable[Territory],
    by_sms: bool,
    by: Actor,
    now: datetime,
) -> Subscription:
    """Replace the person's subscription; choosing nothing stops the messages (the row stays)."""
    if by.user is not None and own_person_id(by) != person.pk:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    bits = 0
    for code in categories:
        if code not in CATEGORY_BIT:
            raise ActivityError(_("请从列表中选择活动类别。"), field="categories")
        bits |= CATEGORY_BIT[code]
    places = list({c.pk: c for c in communities}.values())
    if len(places) > MAX_COMMUNITIES:
        raise ActivityError(_("关注社区最多选择%(n)d个。") % {"n": MAX_COMMUNITIES}, field="communities")
    if any(c.level not in COMMUNITY_LEVELS for c in places):
        raise ActivityError(_("关注范围只能选择社区或村。"), field="communities")
    if bits and not places:
        raise ActivityError(_("请至少选择一个关注的社区。"), field="communities")
    if places and not bits:
        raise ActivityError(_("请至少选择一个关注的活动类别。"), field="categories")
    with transaction.atomic():
        sub, _created = Subscription.objects.select_for_update().get_or_create(
            person=person, defaults={"updated_at": now}
        )
        sub.category_bits, sub.by_sms, sub.updated_at = bits, by_sms, now
        sub.save()
        sub.communities.set(places)
    return sub
