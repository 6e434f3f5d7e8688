"""Writes to the person registry and party memberships.

Every field that people type is normalised and checked here, so the page, the import and the API
share one set of rules; errors are ValidationError keyed by field, in Chinese."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record, changed_fields
from tongxin.core.actor import Actor
from tongxin.core.crypto import blind_index
from tongxin.core.search_keys import name_sort_key
from tongxin.core.validators import clean_text, normalize_mobile, normalize_person_name, parse_id_number
from tongxin.orgs.models import MEMBER_HOLDING_KINDS, Organization, OrgKind
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .choices import EDUCATION_LEVELS, ETHNIC_GROUPS
from .models import FlowDirection, Membership, MemberStatus, Person

ID_PURPOSE = "id_number"
DUPLICATE_ID_MESSAGE = gettext_lazy("该身份证号已登记,请勿重复录入;可搜索后修改原记录。")
MOBILE_PURPOSE = "mobile"
_ETHNIC_VALUES = {v for v, _label in ETHNIC_GROUPS}


def id_number_index(id_number: str) -> str:
    return blind_index(id_number, purpose=ID_PURPOSE)


def mobile_index(mobile: str) -> str:
    return blind_index(mobile, purpose=MOBILE_PURPOSE) if mobile else ""


@dataclass
class PersonData:
    """What a person record holds, as typed by a user; normalised by `person_clean`."""

    name: str
    id_number: str
    mobile: str = ""
    address: str = ""
    ethnicity: str = "汉族"
    education: str = ""
    residence: Territory | None = None


def person_clean(data: PersonData, *, existing: Person | None = None) -> dict[str, Any]:
    """Validate every field, collecting all errors at once so the form shows them together."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    try:
        values["name"] = normalize_person_name(data.name)
    except ValidationError as exc:
        errors["name"] = exc.messages[0]
    else:
        if len(values["name"]) > 50:
            errors["name"] = _("姓名不能超过50个字。")
        values["name_sort"] = name_sort_key(values["name"])
    try:
        facts = parse_id_number(data.id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages[0]
    else:
        values.update(id_number=facts.number, birth_date=facts.birth_date, gender=facts.gender)
        values["id_number_index"] = id_number_index(facts.number)
        clash = Person.objects.filter(id_number_index=values["id_number_index"])
        if existing is not None:
            clash = clash.exclude(pk=existing.pk)
        if clash.exists():
            errors["id_number"] = str(DUPLICATE_ID_MESSAGE)
    mobile = clean_text(data.mobile)
    if mobile:
        try:
            mobile = normalize_mobile(mobile)
        except ValidationError as exc:
            errors["mobile"] = exc.messages[0]
    values.update(mobile=mobile, mobile_index=mobile_index(mobile))
    values["address"] = clean_text(data.address)
    values["ethnicity"] = clean_text(data.ethnicity) or "汉族"
    if values["ethnicity"] not in _ETHNIC_VALUES:
        errors["ethnicity"] = _("民族“%(value)s”不在国家标准民族名称中。") % {"value": values["ethnicity"]}
    values["education"] = clean_text(data.education)
    if values["education"] and values["education"] not in EDUCATION_LEVELS:
        errors["education"] = _("学历“%(value)s”无法识别。") % {"value": values["education"]}
    values["residence"] = data.residence
    if errors:
        raise ValidationError(errors)
    return values


def person_create(*, data: PersonData, by: Actor) -> Person:
    values = person_clean(data)
    try:
        with transaction.atomic():
            person = Person.objects.create(**values)
            audit_record(actor=by, action=AuditAction.CREATE, target=person)
    except IntegrityError:
        # Two people registered the same ID number at the same moment; the index chose one.
        raise ValidationError({"id_number": str(DUPLICATE_ID_MESSAGE)}) from None
    return person


def person_update(*, person: Person, data: PersonData, by: Actor) -> Person:
    values = person_clean(data, existing=person)
    before = {k: getattr(person, k) for k in values}
    with transaction.atomic():
        for key, value in values.items():
            setattr(person, key, value)
        person.save()
        fields = [f for f in changed_fields(before, values) if not f.endswith("_index")]
        audit_record(actor=by, action=AuditAction.UPDATE, target=person, detail={"fields": fields})
    return person


# The fields masked everywhere until someone with the right asks for one in clear.
REVEALABLE = ("id_number", "mobile", "address")


def person_reveal(*, person: Person, field: str, by: Actor) -> str:
    """Return a sensitive value in clear and log that it was seen. The caller has already asked
    the access policy whether `by` may reveal it (accounts.policies.person_to_reveal)."""
    if field not in REVEALABLE:
        raise ValueError(field)
    audit_record(actor=by, action=AuditAction.REVEAL, target=person, detail={"field": field})
    return str(getattr(person, field))


@dataclass
class MembershipData:
    organization: Organization
    status: str
    joined_on: date
    confirmed_on: date | None = None
    in_service: bool = False
    employer: Unit | None = None
    is_flowing: bool = False
    flow_direction: str = ""
    flow_place: str = ""
    party_group: Organization | None = None


# 《中国共产党章程》第一条: 年满十八岁.
MIN_JOINING_AGE = 18


def membership_clean(data: MembershipData, *, today: date, born_on: date | None = None) -> dict[str, Any]:
    """Check a membership against the rules; `born_on` (from the person's ID number) adds the
    age rule when the person is known."""
    errors: dict[str, str] = {}
    org = data.organization
    if org.is_external or org.kind not in MEMBER_HOLDING_KINDS:
        errors["organization"] = _("党员只能编入区内的党支部、党总支或党委,不能编入“%(kind)s”。") % {
            "kind": org.get_kind_display()
        }
    if data.status not in MemberStatus.values:
        errors["status"] = _("党员状态只能是预备党员或正式党员。")
    if data.joined_on > today:
        errors["joined_on"] = _("入党日期不能晚于今天。")
    elif born_on is not None and data.joined_on < adult_on(born_on):
        errors["joined_on"] = _("入党时须年满十八岁:此人于 %(date)s 年满十八岁,入党日期不能早于这一天。") % {
            "date": adult_on(born_on).isoformat()
        }
    if data.confirmed_on is not None:
        if data.status == MemberStatus.PROBATIONARY:
            errors["confirmed_on"] = _("预备党员尚未转正,不应填写转正日期。")
        elif data.confirmed_on < data.joined_on:
            errors["confirmed_on"] = _("转正日期不能早于入党日期。")
        elif data.confirmed_on > today:
            errors["confirmed_on"] = _("转正日期不能晚于今天。")
    if data.in_service and data.employer is None:
        errors["employer"] = _("在职党员须填写工作单位。")
    if data.is_flowing and data.flow_direction not in FlowDirection.values:
        errors["flow_direction"] = _("流动党员须选择流动方向(流出或流入)。")
    group = data.party_group
    if group is not None and (group.kind != OrgKind.PARTY_GROUP or not group.path.startswith(org.path)):
        errors["party_group"] = _("党小组须是所在党支部下设的党小组。")
    if errors:
        raise ValidationError(errors)
    return {
        "organization": org,
        "status": data.status,
        "joined_on": data.joined_on,
        "confirmed_on": data.confirmed_on,
        "in_service": data.in_service,
        "employer": data.employer if data.in_service else None,
        "is_flowing": data.is_flowing,
        "flow_direction": data.flow_direction if data.is_flowing else "",
        "flow_place": clean_text(data.flow_place) if data.is_flowing else "",
        "party_group": group,
    }


DUPLICATE_MEMBERSHIP_MESSAGE = gettext_lazy("此人已有党员信息,请修改原记录。")


def transfer_first_message(current: Organization, *, may_see_roster: bool) -> str:
    """Why a member cannot simply be put in another organisation (by a form or a file): that is a
    transfer (组织关系转接) with its own procedure. Her current organisation is named only to
    someone who may see its roster."""
    where = current.name if may_see_roster else _("其他党组织")
    return _("此人的组织关系在“%(org)s”,请先办理组织关系转接。") % {"org": where}


def member_add(
    *, existing: Person | None, person: PersonData, membership: MembershipData, by: Actor, today: date
) -> Person:
    """添加党员: the person found by ID number (`existing`) or registered now, and a new
    membership for them; both or neither. Never moves a membership someone else has just made."""
    with transaction.atomic():
        target = existing or person_create(data=person, by=by)
        if existing is not None and Membership.objects.filter(person=existing).exists():
            raise ValidationError(DUPLICATE_MEMBERSHIP_MESSAGE)
        membership_save(person=target, data=membership, by=by, today=today)
    return target


def adult_on(born_on: date) -> date:
    """The day someone born on `born_on` turns eighteen (29 February → 1 March)."""
    try:
        return born_on.replace(year=born_on.year + MIN_JOINING_AGE)
    except ValueError:
        return date(born_on.year + MIN_JOINING_AGE, 3, 1)


def membership_save(*, person: Person, data: MembershipData, by: Actor, today: date) -> Membership:
    """Create the person's membership, or update it in place (one person, one membership)."""
    values = membership_clean(data, today=today, born_on=person.birth_date)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(person=person).first()
        if membership is None:
            try:
                with transaction.atomic():
                    membership = Membership.objects.create(person=person, **values)
            except IntegrityError:
                # Someone else gave this person a membership at the same moment (there was no
                # row to lock); theirs stands, and this caller is told so instead of a crash.
                raise ValidationError(DUPLICATE_MEMBERSHIP_MESSAGE) from None
            audit_record(actor=by, action=AuditAction.CREATE, target=membership)
            return membership
        if membership.organization_id != values["organization"].pk:
            # Moving a member is a transfer (组织关系转接) with its own procedure, refused here so
            # that no door (form, file, API) does it as a plain edit. Whoever may change this
            # membership may see the roster it is on.
            message = transfer_first_message(membership.organization, may_see_roster=True)
            raise ValidationError({"organization": message})
        before = {k: getattr(membership, k) for k in values}
        for key, value in values.items():
            setattr(membership, key, value)
        membership.save()
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=membership,
            detail={"fields": changed_fields(before, values)},
        )
    return membership
