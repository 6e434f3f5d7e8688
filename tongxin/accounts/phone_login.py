"""Logging in with a mobile number and a one-time SMS code (residents and party members).

Who may log in: the account whose person has that mobile number, or, when the person is in the
registry with that number and has no account yet, a resident account made at the first successful
login (RESIDENT on the person's community). Staff accounts may log in this way too, but this is
only their first factor: StaffSecondFactorMiddleware still asks for their TOTP code.

The answer never tells whether a number is registered: an unknown number gets the same reply,
the same rate limits and the same "wrong code" refusal; only no message is sent to it."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tongxin.audit.models import AuditAction, AuditResult
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import ApplicationError
from tongxin.core.masking import mask_mobile
from tongxin.core.validators import normalize_mobile
from tongxin.notifications.sms import sms_send
from tongxin.people.models import Membership, Person
from tongxin.people.services import mobile_index
from tongxin.territory.models import Territory, TerritoryLevel

from .models import PhoneLoginCode, Role, User
from .services import role_grant

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=5)
RESEND_AFTER = timedelta(seconds=60)
PER_NUMBER_PER_HOUR = 5
# A 居委会 helping its elderly residents log in on the office Wi-Fi sends many codes from one
# address; the per-number limits stop abuse of any one phone.
PER_ADDRESS_PER_HOUR = 30
WRONG_TRIES_PER_CODE = 5
HOUR = timedelta(hours=1)
_COMMUNITY_LEVELS = (TerritoryLevel.COMMUNITY, TerritoryLevel.VILLAGE)


class PhoneLoginError(ApplicationError):
    """A refusal shown at the field (`mobile` or `code`); `retry_after` in seconds when waiting helps."""

    def __init__(self, message: object, *, field: str, retry_after: int = 0) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


@dataclass(frozen=True)
class CodeRequested:
    mobile: str  # normalised
    resend_after: int  # seconds until another code may be asked for


def _clean_mobile(raw: str) -> str:
    try:
        return normalize_mobile(raw)
    except ValidationError as exc:
        raise PhoneLoginError(exc.messages[0], field="mobile") from None


def code_hash(*, index: str, code: str) -> str:
    """Keyed, so the table alone does not give the codes away (a million candidates are quickly
    tried against a plain hash); bound to the number, so a code is worth nothing for another."""
    secret = settings.TONGXIN_SMS_CODE_KEY or None  # None: derived from SECRET_KEY
    return salted_hmac(
        "tongxin.phone_login", f"{index}:{code}", secret=secret, algorithm="sha256"
    ).hexdigest()


def _wait_message(seconds: int) -> str:
    if seconds <= 60:
        return ngettext("请%(n)d秒后再获取验证码。", "请%(n)d秒后再获取验证码。", seconds) % {"n": seconds}
    minutes = -(-seconds // 60)
    return ngettext(
        "获取验证码过于频繁,请%(n)d分钟后再试。", "获取验证码过于频繁,请%(n)d分钟后再试。", minutes
    ) % {"n": minutes}


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, int((moment - now).total_seconds() + 0.999))


def _wait_needed(*, index: str, ip: str | None, now: datetime) -> tuple[int, str]:
    """Seconds to wait before another code may be asked for (0: none), and which limit says so."""
    times = sorted(
        PhoneLoginCode.objects.filter(mobile_index=index, created_at__gt=now - HOUR).values_list(
            "created_at", flat=True
        )
    )
    wait = 0
    if times and times[-1] + RESEND_AFTER > now:
        wait = _seconds_until(times[-1] + RESEND_AFTER, now)
    if len(times) >= PER_NUMBER_PER_HOUR:
        wait = max(wait, _seconds_until(times[-PER_NUMBER_PER_HOUR] + HOUR, now))
    if wait or not ip:
        return wait, "number"
    from_ip = sorted(
        PhoneLoginCode.objects.filter(client_ip=ip, created_at__gt=now - HOUR).values_list(
            "created_at", flat=True
        )
    )
    if len(from_ip) >= PER_ADDRESS_PER_HOUR:
        return _seconds_until(from_ip[-PER_ADDRESS_PER_HOUR] + HOUR, now), "address"
    return 0, ""


def _eligible(index: str) -> User | Person | None:
    """The account that logs in with this number, or the person whose resident account will be
    made, or None. A number shared by several people (a family phone) logs in nobody: which of
    them it is cannot be told, and guessing would open one person's data to another."""
    persons = list(Person.objects.filter(mobile_index=index).select_related("account")[:3])
    accounts = [p.account for p in persons if hasattr(p, "account")]
    if accounts:
        active = [a for a in accounts if a.is_active]
        return active[0] if len(accounts) == 1 and active else None
    if len(persons) == 1 and persons[0].residence_id is not None:
        return persons[0]
    return None


def _serialise_requests_for(index: str) -> None:
    """Make code requests for one number run one after another until the caller's transaction
    ends, so that two simultaneous requests cannot both pass the 60-second and hourly limits.
    PostgreSQL: a transaction-scoped advisory lock keyed by the number's blind index (never the
    number itself). SQLite needs nothing here: its IMMEDIATE transactions (config/settings/base.py)
    take the database's write lock at BEGIN, so writers are already serialised."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(f"tongxin.phone_login:{index}".encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)])


def login_code_request(*, mobile: str, by: Actor, now: datetime) -> CodeRequested:
    """Issue a code for `mobile` (sent only when the number may log in). Raises PhoneLoginError."""
    number = _clean_mobile(mobile)
    index = mobile_index(number)
    masked = mask_mobile(number)
    # The limits are counted and the new code written in one transaction, under the number's lock.
    with transaction.atomic():
        _serialise_requests_for(index)
        wait, limit = _wait_needed(index=index, ip=by.ip, now=now)
        if wait:
            audit_record(
                actor=by,
                action=AuditAction.LOGIN_FAILED,
                result=AuditResult.DENIED,
                object_type="accounts.phonelogincode",
                object_repr=masked,
                detail={"step": "code_request", "reason": f"rate_limited_{limit}"},
                now=now,
            )
        else:
            _code_issue(number=number, index=index, masked=masked, by=by, now=now)
    if wait:  # raised outside the block, so that the refusal's audit row is kept
        raise PhoneLoginError(_wait_message(wait), field="mobile", retry_after=wait)
    return CodeRequested(mobile=number, resend_after=int(RESEND_AFTER.total_seconds()))


def _code_issue(*, number: str, index: str, masked: str, by: Actor, now: datetime) -> None:
    target = _eligible(index)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    row = PhoneLoginCode.objects.create(
        mobile_index=index,
        code_hash=code_hash(index=index, code=code) if target is not None else "",
        client_ip=by.ip,
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    if target is not None:
        minutes = str(int(CODE_LIFETIME.total_seconds() // 60))
        sms_send(to=number, template="login_code", params={"code": code, "minutes": minutes})
    audit_record(
        actor=by,
        action=AuditAction.SMS_CODE,
        target=row,
        object_repr=masked,
        detail={"step": "code_request", "sent": target is not None},
        now=now,
    )


def _refuse_code(
    *, row: PhoneLoginCode | None, masked: str, by: Actor, now: datetime, reason: str
) -> NoReturn:
    audit_record(
        actor=by,
        action=AuditAction.LOGIN_FAILED,
        result=AuditResult.FAILURE,
        object_type="accounts.user",
        object_repr=masked,
        detail={"step": "code_verify", "reason": reason},
        now=now,
    )
    if reason == "wrong" and row is not None:
        left = WRONG_TRIES_PER_CODE - row.failed_attempts
        if left > 0:
            message = ngettext(
                "验证码不正确,还可以再试%(n)d次。", "验证码不正确,还可以再试%(n)d次。", left
            ) % {"n": left}
            raise PhoneLoginError(message, field="code")
    if reason in ("wrong", "too_many_tries"):
        raise PhoneLoginError(_("验证码输错次数过多,已失效,请重新获取验证码。"), field="code")
    raise PhoneLoginError(_("验证码已过期或已使用,请重新获取验证码。"), field="code")


def login_code_verify(*, mobile: str, code: str, by: Actor, now: datetime) -> User:
    """The account that the code logs in (made on first login for a registered resident).
    The caller logs it in with django.contrib.auth.login. Raises PhoneLoginError."""
    number = _clean_mobile(mobile)
    typed = "".join(str(code).split())
    if not (typed.isdigit() and len(typed) == CODE_DIGITS):
        raise PhoneLoginError(_("请输入短信中的6位数字验证码。"), field="code")
    index, masked = mobile_index(number), mask_mobile(number)
    with transaction.atomic():
        row = (
            PhoneLoginCode.objects.select_for_update()
            .filter(mobile_index=index)
            .order_by("-created_at", "-pk")
            .first()
        )
        reason = ""
        if row is None or row.used_at is not None or row.expires_at <= now:
            reason = "expired"
        elif row.failed_attempts >= WRONG_TRIES_PER_CODE:
            reason = "too_many_tries"
        elif not (row.code_hash and hmac.compare_digest(row.code_hash, code_hash(index=index, code=typed))):
            reason = "wrong"
            row.failed_attempts += 1
            row.save(update_fields=["failed_attempts"])
        if not reason:
            assert row is not None  # narrowed by the checks above
            target = _eligible(index)
            if target is None:  # the number was reassigned between request and login
                reason = "expired"
            else:
                row.used_at = now
                row.save(update_fields=["used_at"])
                return target if isinstance(target, User) else _resident_account_create(target, by, now)
    # Outside the atomic block: the wrong-try count is committed before the refusal is raised.
    _refuse_code(row=row, masked=masked, by=by, now=now, reason=reason)


def residence_community(person: Person) -> Territory:
    """The community (or village) the person lives in; a grid's residents belong to its community."""
    place = person.residence
    assert place is not None  # _eligible lets only people with a residence through
    if place.level in _COMMUNITY_LEVELS:
        return place
    step = Territory.steplen
    above_paths = [place.path[:end] for end in range(step, len(place.path), step)]
    above = (
        Territory.objects.filter(path__in=above_paths, level__in=_COMMUNITY_LEVELS).order_by("-depth").first()
    )
    return above or place


def _resident_account_create(person: Person, by: Actor, now: datetime) -> User:
    """No password (the phone is the credential); the user name is only an internal handle."""
    user = User(username=f"resident-{person.pk}", first_name=person.name, person=person)
    user.set_unusable_password()
    user.save()
    audit_record(actor=by, action=AuditAction.CREATE, target=user, detail={"via": "phone_login"}, now=now)
    role_grant(user=user, role=Role.RESIDENT, territory=residence_community(person), by=by, now=now)
    # A party member is also granted her own branch: 我的 shows it, and the member's pages of
    # later issues (activities, points) are reached through it.
    membership = Membership.objects.filter(person=person).select_related("organization").first()
    if membership is not None:
        role_grant(user=user, role=Role.PARTY_MEMBER, organization=membership.organization, by=by, now=now)
    return user
