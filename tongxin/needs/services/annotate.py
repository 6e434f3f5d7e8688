"""Steps that leave the status as it is: a staff correction of the category or urgency, and the
resident's consent to a public story."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.core.actor import Actor

from .. import deadlines
from ..categories import CATEGORY_CODES
from ..models import EventKind as K
from ..models import Need, NeedCategory, NeedCorrection
from .errors import NeedError
from .steps import check_step, lock_need, record_step


def _label(code: str, urgent: bool) -> str:
    name = NeedCategory.objects.filter(code=code).values_list("name", flat=True).first() or code
    return f"{name}{_('(紧急)') if urgent else ''}"


def need_reclassify(*, need: Need, category: str, urgent: bool, by: Actor, now: datetime) -> Need:
    """Staff of the need's community correct what the resident (or the classifier) chose. The
    correction is kept for retraining, and the running deadline follows the new category and
    urgency (from the clock's own start: see deadlines.clock_recompute)."""
    if category not in CATEGORY_CODES:
        raise NeedError(_("请选择诉求类别。"), field="category")
    if not isinstance(urgent, bool):
        raise NeedError(_("紧急程度无效。"), field="urgent")
    with transaction.atomic():
        locked = lock_need(need.pk)
        check_step(locked=locked, kind=K.RECLASSIFY, by=by)
        if locked.category_id == category and locked.urgent == urgent:
            raise NeedError(_("类别和紧急程度都没有变化。"), field="category")
        before_category, before_urgent = locked.category_id, locked.urgent
        note = _("类别由“%(a)s”更正为“%(b)s”") % {
            "a": _label(before_category, before_urgent),
            "b": _label(category, urgent),
        }

        def change(n: Need) -> None:
            NeedCorrection.objects.create(
                need=n,
                from_category=before_category,
                to_category=category,
                from_urgent=before_urgent,
                to_urgent=urgent,
                by=by.user,
                at=now,
            )
            n.category_id, n.urgent = category, urgent
            deadlines.clock_recompute(n)

        record_step(
            locked=locked,
            kind=K.RECLASSIFY,
            by=by,
            now=now,
            note=note,
            change=change,
            audit_detail={"category": [before_category, category], "urgent": [before_urgent, urgent]},
        )
    return locked


def need_story_consent(*, need: Need, consent: bool, by: Actor, now: datetime) -> Need:
    """The resident agrees (or no longer agrees) that a story with details of their need may be
    published (DESIGN.md §7). Only they can; the event records each change."""
    if not isinstance(consent, bool):
        raise NeedError(_("请选择是否同意。"), field="consent")
    with transaction.atomic():
        locked = lock_need(need.pk)
        check_step(locked=locked, kind=K.CONSENT, by=by)

        def change(n: Need) -> None:
            n.story_consent_at = now if consent else None

        note = _("居民同意公开事迹") if consent else _("居民撤回公开事迹的同意")
        record_step(
            locked=locked,
            kind=K.CONSENT,
            by=by,
            now=now,
            note=note,
            change=change,
            audit_detail={"consent": consent},
        )
    return locked
