"""Writes for service records: record, correct (never in place), ask for and decide corrections,
issue certificates. Each record posts to the ledger under the source "record:<pk>"."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.accounts.models import User
from tongxin.accounts.policies import visible
from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import ApplicationError, NotFoundOrForbidden
from tongxin.core.masking import age_on
from tongxin.ledger import services as ledger
from tongxin.ledger.models import Account, AccountKind, Currency, Entry, PostingKind
from tongxin.notifications.services import Message, notify
from tongxin.orgs.models import Organization
from tongxin.people.models import Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit
from tongxin.volunteers.models import Team
from tongxin.volunteers.policies import volunteer_of

from .models import Certificate, CorrectionRequest, CorrectionStatus, RecordKind, ServiceRecord
from .policies import may_record_for

TITLE_MAX = 100
PLACE_MAX = 100
SOURCE_MAX = 60
REASON_MAX = 300
MAX_SPAN = timedelta(hours=24)
ELDERLY_AGE = 65  # service to a person of this age or more earns time credits (time bank)
POINTS_RULE = "service_hour"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand
CODE_LENGTH = 12
BRIDGE_ACCOUNT = "record:correction"  # lends a corrected person what she already spent, see _repost


class RecordError(ApplicationError):
    """The record, correction or certificate was refused; nothing changed."""


def _not_found() -> NotFoundOrForbidden:
    return NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))


def _user(by: Actor) -> Any:
    return by.user if getattr(by.user, "pk", None) else None


def _refuse_own(person_id: int | None, by: Actor) -> None:
    """Nobody records, corrects or approves her own service: the organiser's other staff do."""
    own = getattr(by.user, "person_id", None)
    if own is not None and own == person_id:
        raise RecordError(_("不能处理本人的服务记录,请由组织方其他负责人处理。"), field="person")


def _as_record_error(exc: ledger.LedgerError) -> RecordError:
    return RecordError(exc.message, field=exc.field)


# --- Reads the services share --------------------------------------------------------------------


def current_records(person: Person | None = None) -> QuerySet[ServiceRecord]:
    """Records in force: originals and replacements that no reversal cancels."""
    qs = ServiceRecord.objects.exclude(kind=RecordKind.REVERSAL).exclude(
        Exists(ServiceRecord.objects.filter(replaces=OuterRef("pk"), kind=RecordKind.REVERSAL))
    )
    return qs.filter(person=person) if person is not None else qs


def current_record_for(source: str) -> ServiceRecord | None:
    """The record now in force for a source (e.g. "signup:12"), whichever correction made it."""
    return current_records().filter(source=source).order_by("-pk").first()


def is_current(record: ServiceRecord) -> bool:
    return (
        record.kind != RecordKind.REVERSAL
        and not ServiceRecord.objects.filter(replaces=record, kind=RecordKind.REVERSAL).exists()
    )


def organiser_fields(organiser: Model) -> dict[str, Model]:
    if isinstance(organiser, Team):
        return {"team": organiser}
    if isinstance(organiser, Organization):
        return {"organization": organiser}
    if isinstance(organiser, Territory):
        return {"territory": organiser}
    if isinstance(organiser, Unit):
        return {"unit": organiser}
    raise RecordError(_("组织方须是服务队、党组织、社区或单位。"), field="organiser")


# --- Checks ---------------------------------------------------------------------------------------


def _text(value: str, *, field: str, limit: int, required: bool, label: str) -> str:
    value = " ".join((value or "").split())
    if required and not value:
        raise RecordError(_("请填写%(label)s。") % {"label": label}, field=field)
    if len(value) > limit:
        raise RecordError(_("%(label)s最多%(n)d个字。") % {"label": label, "n": limit}, field=field)
    return value


def _check_span(*, started_at: datetime, ended_at: datetime, minutes: Any, now: datetime) -> int:
    if started_at is None or ended_at is None:
        raise RecordError(_("请填写开始和结束时间。"), field="started_at")
    if ended_at <= started_at:
        raise RecordError(_("结束时间须晚于开始时间。"), field="ended_at")
    if ended_at - started_at > MAX_SPAN:
        raise RecordError(_("单条记录最长24小时,跨天的服务请分天记录。"), field="ended_at")
    if ended_at > now + timedelta(minutes=5):
        raise RecordError(_("服务尚未结束,不能记录。"), field="ended_at")
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise RecordError(_("服务时长须是整数分钟。"), field="minutes")
    if minutes <= 0:
        raise RecordError(_("服务时长须大于0分钟。"), field="minutes")
    span = int((ended_at - started_at).total_seconds() // 60)
    if minutes > span:
        raise RecordError(
            _("服务时长(%(m)d分钟)不能超过开始到结束的时间(%(span)d分钟)。") % {"m": minutes, "span": span},
            field="minutes",
        )
    return minutes


def _memo(record: ServiceRecord) -> str:
    return f"{record.title}"[:100]


def _post_to_ledger(record: ServiceRecord, *, by: Actor, now: datetime) -> None:
    """Hours always; points when the organiser awards them (the rule's caps apply); time credits
    when the person served was 65 or over on the day."""
    source, memo = record.ledger_source, _memo(record)
    ledger.hours_record(
        person=record.person, minutes=record.minutes, source=source, memo=memo, by=by, now=now
    )
    if record.award_points:
        ledger.points_award(
            person=record.person,
            rule_code=POINTS_RULE,
            quantity=Decimal(record.minutes) / Decimal(60),
            source=source,
            memo=memo,
            by=by,
            now=now,
        )
    beneficiary = record.beneficiary
    if beneficiary is not None:
        served_on = timezone.localtime(record.started_at).date()
        if age_on(beneficiary.birth_date, served_on) >= ELDERLY_AGE:
            ledger.credits_earn(
                person=record.person, minutes=record.minutes, source=source, memo=memo, by=by, now=now
            )


def _reversal_needs(source: str, person: Person) -> dict[str, int]:
    """How much each of the person's balances must hold for the postings of `source` (not yet
    reversed) to be reversed one by one in order: the highest running total they gave her."""
    rows = (
        Entry.objects.filter(
            posting__source=source,
            posting__reverses__isnull=True,
            posting__reversed_by__isnull=True,
            account__kind=AccountKind.PERSON,
            account__person=person,
        )
        .order_by("posting_id", "pk")
        .values_list("account__currency", "amount")
    )
    running: dict[str, int] = {}
    needs: dict[str, int] = {}
    for currency, amount in rows:
        running[currency] = running.get(currency, 0) + amount
        needs[currency] = max(needs.get(currency, 0), running[currency])
    return {currency: need for currency, need in needs.items() if need > 0}


def _repost(
    record: ServiceRecord, replacement: ServiceRecord, *, reason: str, by: Actor, now: datetime
) -> None:
    """Reverse the record's postings and post the replacement's, moving on balance only the
    difference. A reversal alone needs the person to hold everything the record once gave her,
    which she may since have spent (points redeemed, credits booked); what she lacks is lent to
    her by a bridge posting before the reversal and taken back after the new postings. Only when
    the person cannot give back a downward difference does the correction fail (InsufficientBalance,
    everything rolled back)."""
    person = record.person
    bridges: list[tuple[Account, Account, int]] = []
    for currency, amount in _reversal_needs(record.ledger_source, person).items():
        mine = ledger.person_account(person=person, currency=currency, now=now)
        mine.refresh_from_db(fields=["balance"])
        short = amount - mine.balance
        if short > 0:
            bridge = ledger.system_account(
                code=BRIDGE_ACCOUNT, currency=currency, name=_("记录更正差额"), now=now
            )
            ledger.posting_create(
                lines=[(bridge, -short), (mine, short)],
                kind=PostingKind.ADJUSTMENT,
                source=replacement.ledger_source,
                memo=_("记录更正:先垫付已使用的部分"),
                by=by,
                now=now,
            )
            bridges.append((bridge, mine, short))
    ledger.source_reverse(
        source=record.ledger_source, memo=_("记录更正:%(r)s") % {"r": reason[:80]}, by=by, now=now
    )
    _post_to_ledger(replacement, by=by, now=now)
    for bridge, mine, short in bridges:
        try:
            ledger.posting_create(
                lines=[(mine, -short), (bridge, short)],
                kind=PostingKind.ADJUSTMENT,
                source=replacement.ledger_source,
                memo=_("记录更正:收回垫付"),
                by=by,
                now=now,
            )
        except ledger.InsufficientBalance as exc:
            raise RecordError(
                _("该志愿者已使用了这条记录所得的%(currency)s,余额不足以扣回,不能下调;请与本人核对后再处理。")
                % {"currency": Currency(mine.currency).label},
                field="minutes",
            ) from exc


# --- Record and correct ----------------------------------------------------------------------------


def record_create(
    *,
    person: Person,
    organiser: Model,
    title: str,
    place: str,
    started_at: datetime,
    ended_at: datetime,
    minutes: int,
    source: str,
    beneficiary: Person | None = None,
    award_points: bool = True,
    reason: str = "",
    by: Actor,
    now: datetime,
) -> ServiceRecord:
    """谁组织谁记录: the organiser's staff (or the team's leader, or the system for activities and
    the time bank) records a person's service; the ledger gets its hours, points and credits."""
    fields = organiser_fields(organiser)
    if not may_record_for(by.user, organiser):
        raise RecordError(_("找不到该组织方,或您无权为其记录。"), field="organiser")
    _refuse_own(person.pk, by)
    title = _text(title, field="title", limit=TITLE_MAX, required=True, label=_("服务内容"))
    place = _text(place, field="place", limit=PLACE_MAX, required=False, label=_("服务地点"))
    source = _text(source, field="source", limit=SOURCE_MAX, required=True, label=_("来源"))
    reason = _text(reason, field="reason", limit=REASON_MAX, required=False, label=_("说明"))
    minutes = _check_span(started_at=started_at, ended_at=ended_at, minutes=minutes, now=now)
    if beneficiary is not None and beneficiary.pk == person.pk:
        raise RecordError(_("服务对象不能是志愿者本人。"), field="beneficiary")
    with transaction.atomic():
        record = ServiceRecord.objects.create(
            person=person,
            title=title,
            place=place,
            started_at=started_at,
            ended_at=ended_at,
            minutes=minutes,
            beneficiary=beneficiary,
            source=source,
            kind=RecordKind.ORIGINAL,
            award_points=award_points,
            recorded_by=_user(by),
            recorded_at=now,
            reason=reason,
            **fields,
        )
        try:
            _post_to_ledger(record, by=by, now=now)
        except ledger.LedgerError as exc:
            raise _as_record_error(exc) from exc
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            target=record,
            detail={"person": person.pk, "minutes": minutes, "source": source},
            now=now,
        )
    return record


def record_correct(
    *,
    record: ServiceRecord,
    minutes: int,
    reason: str,
    by: Actor,
    now: datetime,
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
) -> ServiceRecord:
    """更正: never an edit. A reversal cancels the record (and its ledger postings), a replacement
    with the right figures takes its place and posts anew. Returns the replacement."""
    if not may_record_for(by.user, record.organiser):
        raise _not_found()
    _refuse_own(record.person_id, by)
    reason = _text(reason, field="reason", limit=REASON_MAX, required=True, label=_("更正理由"))
    started_at = started_at or record.started_at
    ended_at = ended_at or record.ended_at
    minutes = _check_span(started_at=started_at, ended_at=ended_at, minutes=minutes, now=now)
    with transaction.atomic():
        # Corrections of one record are serialised on its person's row (records themselves are
        # never updated, so cannot be locked for update on every database alike).
        Person.objects.select_for_update().filter(pk=record.person_id).first()
        record = ServiceRecord.objects.select_related("person", "beneficiary").get(pk=record.pk)
        if not is_current(record):
            raise RecordError(_("该记录已被更正或冲销,请更正最新的记录。"), field="record")
        if minutes == record.minutes and (started_at, ended_at) == (record.started_at, record.ended_at):
            raise RecordError(_("更正后的时长与原记录相同,无需更正。"), field="minutes")
        common = {
            "person": record.person,
            "team": record.team,
            "organization": record.organization,
            "territory": record.territory,
            "unit": record.unit,
            "title": record.title,
            "place": record.place,
            "beneficiary": record.beneficiary,
            "source": record.source,
            "award_points": record.award_points,
            "recorded_by": _user(by),
            "recorded_at": now,
            "reason": reason,
            "replaces": record,
        }
        ServiceRecord.objects.create(
            kind=RecordKind.REVERSAL,
            started_at=record.started_at,
            ended_at=record.ended_at,
            minutes=-record.minutes,
            **common,
        )
        replacement = ServiceRecord.objects.create(
            kind=RecordKind.REPLACEMENT, started_at=started_at, ended_at=ended_at, minutes=minutes, **common
        )
        try:
            _repost(record, replacement, reason=reason, by=by, now=now)
        except ledger.LedgerError as exc:
            raise _as_record_error(exc) from exc
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=record,
            detail={"from": record.minutes, "to": minutes, "replacement": replacement.pk},
            now=now,
        )
    return replacement


# --- Correction requests ---------------------------------------------------------------------------


def correction_request(
    *, record: ServiceRecord, by_person: Person, reason: str, proposed_minutes: Any, by: Actor, now: datetime
) -> CorrectionRequest:
    """The volunteer asks the organiser to correct one of HER records; anyone else's record is
    answered as if it did not exist."""
    if record.person_id != by_person.pk:
        raise _not_found()
    if by.user is not None and getattr(by.user, "person_id", None) != by_person.pk:
        raise _not_found()
    reason = _text(reason, field="reason", limit=REASON_MAX, required=True, label=_("更正理由"))
    if isinstance(proposed_minutes, bool) or not isinstance(proposed_minutes, int):
        raise RecordError(_("服务时长须是整数分钟。"), field="proposed_minutes")
    if proposed_minutes <= 0:
        raise RecordError(_("服务时长须大于0分钟。"), field="proposed_minutes")
    span = int((record.ended_at - record.started_at).total_seconds() // 60)
    if proposed_minutes > span:
        raise RecordError(
            _("服务时长(%(m)d分钟)不能超过开始到结束的时间(%(span)d分钟)。")
            % {"m": proposed_minutes, "span": span},
            field="proposed_minutes",
        )
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=by_person.pk).first()
        if not is_current(record):
            raise RecordError(_("该记录已被更正或冲销,请对最新的记录申请。"), field="record")
        if proposed_minutes == record.minutes:
            raise RecordError(_("申请的时长与记录相同,无需更正。"), field="proposed_minutes")
        if CorrectionRequest.objects.filter(record=record, status=CorrectionStatus.PENDING).exists():
            raise RecordError(_("这条记录已有一份待处理的更正申请,请等待组织方答复。"), field="record")
        request = CorrectionRequest.objects.create(
            record=record, person=by_person, reason=reason, proposed_minutes=proposed_minutes, created_at=now
        )
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            target=request,
            detail={"record": record.pk, "proposed": proposed_minutes},
            now=now,
        )
    return request


def correction_decide(
    *, request: CorrectionRequest, accept: bool, reason: str, by: Actor, now: datetime
) -> CorrectionRequest:
    """The organiser accepts (the record is corrected to the proposed minutes) or refuses with a
    reason; the volunteer is told either way. A request is decided once."""
    record = request.record
    if not may_record_for(by.user, record.organiser):
        raise _not_found()
    _refuse_own(request.person_id, by)
    _refuse_own(record.person_id, by)
    reason = _text(reason, field="reason", limit=REASON_MAX, required=not accept, label=_("处理意见"))
    with transaction.atomic():
        request = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != CorrectionStatus.PENDING:
            raise RecordError(_("该申请已处理,不能重复处理。"), field="request")
        result = None
        if accept:
            result = record_correct(
                record=request.record,
                minutes=request.proposed_minutes,
                reason=reason or request.reason,
                by=by,
                now=now,
            )
        request.status = CorrectionStatus.ACCEPTED if accept else CorrectionStatus.REFUSED
        request.decided_at, request.decided_by, request.decision_reason, request.result = (
            now,
            _user(by),
            reason,
            result,
        )
        request.save(update_fields=["status", "decided_at", "decided_by", "decision_reason", "result"])
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=request,
            detail={"accept": accept, "record": record.pk},
            now=now,
        )
        recipient = User.objects.filter(person_id=request.person_id, is_active=True).first()
        if recipient is not None:
            title = _("您的服务记录更正申请已通过") if accept else _("您的服务记录更正申请未通过")
            notify(
                recipient_user=recipient,
                message=Message(title=title, body=reason, url="/records/m/"),
                channels=("in_app", "wechat"),
                now=now,
            )
    return request


# --- Certificates -----------------------------------------------------------------------------------


def new_certificate_code() -> str:
    """12 characters from a 32-letter alphabet: 60 random bits, not guessable one by one."""
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def records_digest(pairs: Iterable[tuple[int, int]]) -> str:
    text = ";".join(f"{pk}:{minutes}" for pk, minutes in sorted(pairs))
    return hashlib.sha256(text.encode()).hexdigest()


def issuer_for(person: Person) -> str:
    district = None
    if person.residence is not None:
        district = Territory.objects.filter(path=person.residence.path[: Territory.steplen]).first()
    if district is None:
        return _("同心志愿服务平台")
    return _("%(district)s志愿服务记录平台") % {"district": district.name}


def may_issue_for(user: Any, person: Person) -> bool:
    if user is None:
        return True
    if getattr(user, "person_id", None) == person.pk:
        return True
    return visible(user, Person).filter(pk=person.pk).exists()


def certificate_issue(*, person: Person, by: Actor, now: datetime) -> Certificate:
    """谁记录谁证明: a certificate of every record in force, with a code anyone can verify."""
    if not may_issue_for(by.user, person):
        raise _not_found()
    rows = list(current_records(person).values_list("pk", "minutes"))
    if not rows:
        raise RecordError(_("还没有志愿服务记录,暂不能开具证明。"), field="person")
    volunteer = volunteer_of(person)
    with transaction.atomic():
        code = new_certificate_code()
        while Certificate.objects.filter(code=code).exists():  # 2^60 codes: practically never
            code = new_certificate_code()
        certificate = Certificate.objects.create(
            code=code,
            person=person,
            volunteer_code=volunteer.code if volunteer else "",
            issuer=issuer_for(person),
            total_minutes=sum(m for _pk, m in rows),
            record_count=len(rows),
            record_ids=sorted(pk for pk, _m in rows),
            records_hash=records_digest(rows),
            issued_at=now,
            issued_by=_user(by),
        )
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            target=certificate,
            detail={"person": person.pk, "records": len(rows)},
            now=now,
        )
    return certificate


def certificate_changed_since(certificate: Certificate) -> bool:
    """A record the certificate listed has been corrected (reversed) since it was issued."""
    return ServiceRecord.objects.filter(
        kind=RecordKind.REVERSAL, replaces_id__in=certificate.record_ids
    ).exists()


def normalise_code(text: str) -> str:
    """What a person typed (spaces, dashes, lower case) as the stored code."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[: CODE_LENGTH + 4]


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
