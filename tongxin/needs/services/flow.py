"""One service per lifecycle step (transitions.py says from where; policies.py says who)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.core.actor import Actor
from tongxin.ledger.services import points_award
from tongxin.orgs.models import Organization
from tongxin.people.models import Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .. import policies
from ..models import EventKind as K
from ..models import Need, NeedEvent, PhotoStage
from ..transitions import OPEN
from .errors import NeedError
from .intake import clean_need_text
from .photos import check_room, photo_count, prepare_photos, store_photos
from .steps import assignee_key, run_step

NOTE_MAX = 500
REOPEN_MAX_RATING = 2
# Ratings from which the helper earns points (rule need_resolved_good in the ledger).
GOOD_RATING = 4
NEED_RESOLVED_GOOD = "need_resolved_good"
Assignee = Territory | Organization | Unit | Person


def _clear_assignee(need: Need) -> None:
    need.assigned_territory = need.assigned_org = need.assigned_unit = need.assigned_person = None


def need_accept(*, need: Need, by: Actor, now: datetime, note: str = "") -> Need:
    def change(n: Need) -> None:
        n.accepted_at = now

    return run_step(need=need, kind=K.ACCEPT, by=by, now=now, note=note, change=change)


def need_return(*, need: Need, reason: str, by: Actor, now: datetime) -> Need:
    """退回: the resident is told why, by SMS and on their timeline."""
    reason = clean_need_text(reason, field="reason", limit=NOTE_MAX)
    return run_step(need=need, kind=K.RETURN, by=by, now=now, note=reason, notify_params={"reason": reason})


def need_dispatch(*, need: Need, to: Assignee, by: Actor, now: datetime, note: str = "") -> Need:
    """派单 to a community, a branch, a unit or a person the dispatcher can see."""
    if isinstance(to, Territory) and to.level not in (*policies.COMMUNITY_LEVELS, "grid"):
        raise NeedError(_("只能派单到社区、村或网格。"), field="to")
    if isinstance(to, Organization) and to.is_external:
        raise NeedError(_("不能派单到区外党组织。"), field="to")
    if not policies.may_dispatch_to(by.user, to):
        raise NeedError(_("找不到该承办对象,或不在您的管辖范围内。"), field="to")

    def change(n: Need) -> None:
        _clear_assignee(n)
        if isinstance(to, Territory):
            n.assigned_territory = to
        elif isinstance(to, Organization):
            n.assigned_org = to
        elif isinstance(to, Unit):
            n.assigned_unit = to
        else:
            n.assigned_person = to

    key = {Territory: "territory", Organization: "org", Unit: "unit", Person: "person"}[type(to)]
    return run_step(
        need=need,
        kind=K.DISPATCH,
        by=by,
        now=now,
        note=note or dispatch_note(to_person=isinstance(to, Person), name=str(to)),
        change=change,
        event_key=f"{key}:{to.pk}",
    )


def dispatch_note(*, to_person: bool, name: str) -> str:
    """The resident reads this note: a helper is named to her only by the helper, in person."""
    return _("已派单至热心人") if to_person else _("已派单至%(to)s") % {"to": name}


def need_bounce(*, need: Need, reason: str, by: Actor, now: datetime) -> Need:
    """退单: back to the dispatcher's queue; each assignee may bounce a need once."""
    reason = clean_need_text(reason, field="reason", limit=NOTE_MAX)

    def check(n: Need) -> None:
        if NeedEvent.objects.filter(need=n, kind=K.BOUNCE, assignee_key=assignee_key(n)).exists():
            raise NeedError(_("本级已退过一次单,不能再退,请办理或与派单人联系。"), field="reason")

    def change(n: Need) -> None:
        _clear_assignee(n)
        n.bounce_count += 1

    return run_step(need=need, kind=K.BOUNCE, by=by, now=now, note=reason, check=check, change=change)


def need_claim(*, need: Need, by: Actor, now: datetime) -> Need:
    """认领 by a member (volunteers later): two at once, one wins, the other is thanked."""

    def change(n: Need) -> None:
        _clear_assignee(n)
        n.assigned_person_id = by.user.person_id

    return run_step(need=need, kind=K.CLAIM, by=by, now=now, note=_("已有热心人认领"), change=change)


def need_start(*, need: Need, by: Actor, now: datetime, note: str = "") -> Need:
    return run_step(need=need, kind=K.START, by=by, now=now, note=note)


def need_resolve(*, need: Need, result: str, by: Actor, now: datetime, photos: Sequence[Any] = ()) -> Need:
    """办结 with what was done, which the resident reads, and optional photos of the result."""
    result = clean_need_text(result, field="result", limit=NOTE_MAX)
    # Decoded before the row is locked (it takes a moment per photo); counted again under the lock.
    prepared = prepare_photos(photos)

    def check(n: Need) -> None:
        if prepared:
            check_room(existing=photo_count(n, PhotoStage.RESOLVE), adding=len(prepared))

    def change(n: Need) -> None:
        n.resolution = result
        n.resolved_at = now
        if prepared:
            store_photos(need=n, prepared=prepared, stage=PhotoStage.RESOLVE, by_user=by.user, now=now)

    return run_step(need=need, kind=K.RESOLVE, by=by, now=now, note=result, check=check, change=change)


def need_visit(*, need: Need, rating: int, by: Actor, now: datetime, comment: str = "") -> Need:
    """回访: the resident rates it, or staff record what the resident said on the phone."""
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise NeedError(_("请选择1到5星的评价。"), field="rating")
    comment = comment.strip()[:NOTE_MAX]

    def change(n: Need) -> None:
        n.rating, n.comment, n.visited_at = rating, comment, now
        if rating >= GOOD_RATING and n.assigned_person is not None:
            _award_helper(need=n, helper=n.assigned_person, by=by, now=now)

    note = visit_note(need=need, user=by.user, rating=rating, comment=comment)
    return run_step(need=need, kind=K.VISIT, by=by, now=now, note=note, change=change)


def _award_helper(*, need: Need, helper: Person, by: Actor, now: datetime) -> None:
    """A person who served a need the resident rated well earns the district's points for it
    (rule need_resolved_good, within its caps). Inside the visit's transaction: a visit that
    rolls back takes the points with it."""
    points_award(
        person=helper,
        rule_code=NEED_RESOLVED_GOOD,
        quantity=1,
        source=f"need:{need.pk}",
        memo=_("诉求 #%(pk)d 办结并获好评") % {"pk": need.pk},
        by=by,
        now=now,
    )


def visit_note(*, need: Need, user: Any, rating: int, comment: str) -> str:
    """The resident rates on her own phone; anyone else (staff who entered a caller's need
    included) is recording what the resident said on a follow-up call."""
    label = _("居民评价:%(r)d星") if policies.is_resident(user, need) else _("电话回访:%(r)d星")
    return f"{label % {'r': rating}} {comment}".strip()


def need_archive(*, need: Need, by: Actor, now: datetime) -> Need:
    return run_step(need=need, kind=K.ARCHIVE, by=by, now=now)


def need_withdraw(*, need: Need, by: Actor, now: datetime, reason: str = "") -> Need:
    """The resident takes the need back, any time before it is resolved."""
    return run_step(need=need, kind=K.WITHDRAW, by=by, now=now, note=reason.strip()[:NOTE_MAX])


def need_merge(*, need: Need, into: Need, by: Actor, now: datetime) -> Need:
    """A duplicate joins another open need in the same community; its resident follows that one."""

    def check(n: Need) -> None:
        if into.pk == n.pk:
            raise NeedError(_("不能与自身合并。"), field="into")
        target = Need.objects.filter(pk=into.pk).first()
        if target is None or target.status not in OPEN or target.community_id != n.community_id:
            raise NeedError(_("只能合并到同一社区尚在办理中的诉求。"), field="into")
        if not policies.is_staff_for(by.user, target):
            raise NeedError(_("只能合并到同一社区尚在办理中的诉求。"), field="into")

    def change(n: Need) -> None:
        n.merged_into_id = into.pk

    note = _("与编号%(pk)s的诉求合并办理") % {"pk": into.pk}
    with transaction.atomic():
        # Both rows locked, in one order: two staff merging 5→7 and 7→5 at once must not leave
        # each merged into the other.
        list(Need.objects.select_for_update().filter(pk__in=[need.pk, into.pk]).order_by("pk"))
        return run_step(need=need, kind=K.MERGE, by=by, now=now, note=note, check=check, change=change)


def need_reopen(*, need: Need, by: Actor, now: datetime, reason: str = "") -> Need:
    """An unsatisfied resident's (1–2 stars) need goes back to be dispatched again."""

    def check(n: Need) -> None:
        if n.rating is None or n.rating > REOPEN_MAX_RATING:
            raise NeedError(_("只有不满意(1–2星)的评价可以重新办理。"), field="rating")

    def change(n: Need) -> None:
        _clear_assignee(n)
        n.rating, n.comment, n.visited_at, n.resolved_at = None, "", None, None

    return run_step(
        need=need, kind=K.REOPEN, by=by, now=now, note=reason.strip()[:NOTE_MAX], check=check, change=change
    )
