"""Accounts and role grants: creating accounts, granting and revoking roles, second factors."""

import secrets
from datetime import datetime

from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import ApplicationError
from tongxin.orgs.models import Organization
from tongxin.people.models import Person
from tongxin.territory.models import Territory

from .models import ADMIN_ROLES, Role, RoleGrant, User

RECOVERY_CODE_COUNT = 10


class AdminSeparationError(ApplicationError):
    """三员分立: the system, security and audit administrator roles never meet in one person."""


def account_create(
    *, username: str, password: str, person: Person | None, full_name: str = "", by: Actor
) -> User:
    user = User(username=username, first_name=full_name, person=person)
    validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        audit_record(actor=by, action=AuditAction.CREATE, target=user)
    return user


def _check_admin_separation(*, user: User, role: str) -> None:
    """三员分立: an administrator role is the account's only role. The three never meet, and none
    of them mixes with business roles (the auditor reads the audit log and nothing else). One
    natural person has at most one account (User.person is one-to-one), so this holds per person."""
    held = set(RoleGrant.objects.active().filter(user=user).values_list("role", flat=True))
    if not held:
        return
    held_admin = held & ADMIN_ROLES
    if role in ADMIN_ROLES and role in held_admin:
        raise AdminSeparationError(
            _("该账号已持有%(role)s授权;管理员角色只授予一个节点,如需调整请先撤销原授权。")
            % {"role": Role(role).label},
            field="role",
        )
    if role in ADMIN_ROLES or held_admin:
        raise AdminSeparationError(
            _("三员分立:该人员已担任%(held)s,不能再授予%(role)s。管理员角色须由专人单独担任。")
            % {"held": "、".join(str(Role(r).label) for r in sorted(held)), "role": Role(role).label},
            field="role",
        )


def role_grant(
    *,
    user: User,
    role: str,
    territory: Territory | None = None,
    organization: Organization | None = None,
    by: Actor,
    now: datetime,
) -> RoleGrant:
    if role not in Role.values:
        raise ApplicationError(_("未知的角色。"), field="role")
    if (territory is None) == (organization is None):
        raise ApplicationError(_("授权须选择一个属地节点或一个党组织节点。"), field="node")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # serialise grants per account
        _check_admin_separation(user=user, role=role)
        try:
            with transaction.atomic():
                grant = RoleGrant.objects.create(
                    user=user,
                    role=role,
                    territory=territory,
                    organization=organization,
                    granted_by=by.user,
                    granted_at=now,
                )
        except IntegrityError:
            raise ApplicationError(_("该账号在此节点上已有相同角色。"), field="role") from None
        audit_record(
            actor=by,
            action=AuditAction.GRANT,
            target=grant,
            detail={"user": user.pk, "role": role, "node": str(grant.node)},
            now=now,
        )
    return grant


def role_revoke(*, grant: RoleGrant, by: Actor, now: datetime) -> RoleGrant:
    with transaction.atomic():
        grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
        if grant.revoked_at is not None:
            raise ApplicationError(_("该授权已撤销。"))
        grant.revoked_at, grant.revoked_by = now, by.user
        grant.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=by,
            action=AuditAction.REVOKE,
            target=grant,
            detail={"user": grant.user_id, "role": grant.role},
            now=now,
        )
    return grant


def totp_device_create(*, user: User, confirmed: bool, key: str | None = None) -> TOTPDevice:
    """A TOTP device; unconfirmed until the user types a code from it during enrolment."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    kwargs = {"key": key} if key else {}
    return TOTPDevice.objects.create(user=user, name="手机令牌", confirmed=confirmed, **kwargs)


def recovery_codes_issue(*, user: User) -> list[str]:
    """Replace the account's recovery codes with ten fresh single-use ones; shown once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="恢复码")
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes
