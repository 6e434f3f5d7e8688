"""Writes for matching: a helper records what they can do, when and where."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.accounts.policies import Action, can
from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import ApplicationError, NotFoundOrForbidden
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.people.models import Person
from tongxin.territory.models import Territory

from .models import HelperProfile
from .skills import SKILL_BIT, SLOT_BIT

MAX_COMMUNITIES = 5


class HelperProfileError(ApplicationError):
    """The profile was not saved; `field` names the field to fix."""


def may_edit_profile(user: object, person: Person) -> bool:
    """The person themself, or staff who may change the person's record."""
    if user is None:  # the system (demo data, commands)
        return True
    if getattr(user, "person_id", None) == person.pk:
        return True
    return can(user, Action.CHANGE, person)


def _bits(codes: Iterable[str], table: dict[str, int], *, field: str, message: str) -> int:
    mask = 0
    for code in codes:
        if code not in table:
            raise HelperProfileError(message, field=field)
        mask |= table[code]
    return mask


def helper_profile_save(
    *,
    person: Person,
    skills: Iterable[str],
    slots: Iterable[str],
    communities: Iterable[Territory],
    by: Actor,
    now: datetime,
    active: bool = True,
    consent: bool = True,
) -> HelperProfile:
    """Create or replace a person's helper profile.

    Who may have one is the door's business: members record theirs on /matching/me/, residents
    through the volunteer registration (tongxin.volunteers), which calls this. `consent` is
    the person's agreement to be suggested to staff for needs (on the phone page a box they tick;
    staff recording a paper form attest it): without it the profile is kept but never suggested.
    Bad input raises HelperProfileError at the field and changes nothing."""
    if not may_edit_profile(by.user, person):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    skill_bits = _bits(skills, SKILL_BIT, field="skills", message=_("请从列表中选择专长。"))
    if not skill_bits:
        raise HelperProfileError(_("请至少选择一项专长。"), field="skills")
    slot_bits = _bits(slots, SLOT_BIT, field="slots", message=_("请从列表中选择空闲时段。"))
    if active and not slot_bits:
        raise HelperProfileError(_("请至少选择一个空闲时段,方便社区联系您。"), field="slots")
    places = list({c.pk: c for c in communities}.values())
    if not places:
        raise HelperProfileError(_("请至少选择一个服务社区。"), field="communities")
    if len(places) > MAX_COMMUNITIES:
        raise HelperProfileError(_("服务社区最多选择%(n)d个。") % {"n": MAX_COMMUNITIES}, field="communities")
    if any(c.level not in COMMUNITY_LEVELS for c in places):
        raise HelperProfileError(_("服务范围只能选择社区或村。"), field="communities")
    if not consent and active:
        raise HelperProfileError(_("请勾选同意后再保存;不想被推荐可以选择“暂停接单”。"), field="consent")
    with transaction.atomic():
        profile = HelperProfile.objects.select_for_update().filter(person=person).first()
        created = profile is None
        if profile is None:
            profile = HelperProfile(person=person, created_at=now)
        profile.skill_bits, profile.slot_bits, profile.active = skill_bits, slot_bits, active
        if consent and profile.consent_at is None:
            profile.consent_at = now
        elif not consent:
            profile.consent_at = None
        profile.updated_at = now
        profile.save()
        profile.communities.set(places)
        audit_record(
            actor=by,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            target=profile,
            detail={
                "person": person.pk,
                "skills": profile.skills,
                "slots": len(profile.slots),
                "communities": sorted(c.pk for c in places),
                "active": active,
                "consent": profile.consent_at is not None,
            },
            now=now,
        )
    return profile
