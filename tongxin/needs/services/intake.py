"""need_submit: the one way a need enters, whichever door it came through."""

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.validators import clean_text, normalize_mobile
from tongxin.people.models import Person
from tongxin.territory.models import Territory

from .. import deadlines, policies
from ..categories import CATEGORY_CODES
from ..models import TAGS, Channel, EventKind, Need, NeedEvent, PhotoStage, Status
from ..notify import need_notify
from .errors import NeedError, NeedNotAllowed
from .photos import prepare_photos, store_photos

if TYPE_CHECKING:
    from tongxin.insight.classifier import Suggestion

logger = logging.getLogger(__name__)

TEXT_MAX = 1000
PLACE_MAX = 100


def clean_need_text(text: object, *, field: str = "text", limit: int = TEXT_MAX) -> str:
    value = clean_text(text or "")
    if not value:
        raise NeedError(_("请填写内容。"), field=field)
    if len(value) > limit:
        raise NeedError(_("内容过长,请控制在%(limit)d字以内。") % {"limit": limit}, field=field)
    return value


def clean_tags(tags: Iterable[str]) -> list[str]:
    values = [clean_text(t) for t in tags]
    unknown = [t for t in values if t not in TAGS]
    if unknown:
        raise NeedError(_("标签只能是:%(tags)s。") % {"tags": "、".join(TAGS)}, field="tags")
    return [t for t in TAGS if t in values]  # the essay's order, each once


def need_submit(
    *,
    text: str,
    category: str,
    community: Territory,
    channel: str,
    by: Actor,
    now: datetime,
    person: Person | None = None,
    caller_name: str = "",
    caller_phone: str = "",
    urgent: bool = False,
    tags: Iterable[str] = (),
    place: str = "",
    private: bool = False,
    photos: Sequence[Any] = (),
) -> Need:
    """A resident submits for themself (their own person); staff, grid workers and the API
    enter needs for a registered person or a caller over their own communities.

    Also: the photos (checked before anything is written; all or none), the classifier's
    suggestion beside the chosen category (a difference is a correction to learn from), and the
    acceptance clock."""
    user = by.user
    own_person_id = getattr(user, "person_id", None)
    if person is None and channel == Channel.MOBILE and own_person_id is not None:
        person = user.person
    for_self = person is not None and person.pk == own_person_id
    if not for_self and not policies.may_submit_for(user, community):
        raise NeedNotAllowed(step=EventKind.SUBMIT.label)
    if channel not in Channel.values:
        raise NeedError(_("来源无效。"), field="channel")
    if category not in CATEGORY_CODES:
        raise NeedError(_("请选择诉求类别。"), field="category")
    if community.level not in policies.COMMUNITY_LEVELS:
        raise NeedError(_("请选择诉求所在的社区或村。"), field="community")
    values = {
        "text": clean_need_text(text),
        "place": clean_text(place)[:PLACE_MAX],
        "tags": clean_tags(tags),
        "caller_name": clean_text(caller_name)[:50],
        "caller_phone": "",
    }
    if caller_phone:
        try:
            values["caller_phone"] = normalize_mobile(caller_phone)
        except ValidationError as exc:
            raise NeedError(exc.messages[0], field="caller_phone") from None
    if person is None and not (values["caller_name"] or values["caller_phone"]):
        raise NeedError(_("请填写诉求人姓名或联系电话,以便答复。"), field="caller_phone")
    prepared = prepare_photos(photos)
    suggestion = _suggest(str(values["text"]))
    with transaction.atomic():
        need = Need(
            person=person,
            submitted_by=user,
            channel=channel,
            category_id=category,
            community=community,
            urgent=urgent,
            private=private,
            status=Status.SUBMITTED,
            submitted_at=now,
            updated_at=now,
            suggested_category=suggestion.category if suggestion else "",
            suggested_urgent=suggestion.urgent if suggestion else None,
            suggestion_confidence=suggestion.confidence if suggestion else None,
            **values,
        )
        deadlines.clock_start_accept(need)
        need.save(force_insert=True)
        if prepared:
            store_photos(need=need, prepared=prepared, stage=PhotoStage.SUBMIT, by_user=user, now=now)
        NeedEvent.objects.create(
            need=need, actor=user, actor_label=by.label, at=now, kind=EventKind.SUBMIT, to_status=need.status
        )
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            target=need,
            detail={"channel": channel, "photos": len(prepared)},
            now=now,
        )
        need_notify(need=need, kind=EventKind.SUBMIT, by=by)
    return need


def _suggest(text: str) -> "Suggestion | None":
    """The classifier's view of the text. A resident's submission never fails because the
    suggestion did: it is advice for staff, and the need matters more."""
    # Imported here: scikit-learn takes a second to import, which every process that merely
    # imports the services (the task worker, management commands) should not pay.
    from tongxin.insight import classifier

    try:
        return classifier.classify(text)
    except Exception:  # any failure of the model only loses the advice
        logger.exception("need classifier failed; submitting without a suggestion")
        return None
