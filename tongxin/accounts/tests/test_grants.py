import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conftest import NOW, SYSTEM, add_person, make_account
from tongxin.accounts.models import Role, RoleGrant, User
from tongxin.accounts.services import AdminSeparationError, account_create, role_grant, role_revoke
from tongxin.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_the_three_administrator_roles_never_meet_in_one_account(world) -> None:  # type: ignore[no-untyped-def]
    admin = make_account("sysadmin", (Role.SYSTEM_ADMIN, world.district))
    with pytest.raises(AdminSeparationError, match="三员分立"):
        role_grant(user=admin, role=Role.AUDIT_ADMIN, territory=world.district, by=SYSTEM, now=NOW)
    assert not RoleGrant.objects.filter(user=admin, role=Role.AUDIT_ADMIN).exists()


@pytest.mark.parametrize(
    ("first", "second"),
    [(Role.AUDIT_ADMIN, Role.DISTRICT_ADMIN), (Role.DISTRICT_ADMIN, Role.SECURITY_ADMIN)],
)
def test_administrator_roles_do_not_mix_with_business_roles(world, first, second) -> None:  # type: ignore[no-untyped-def]
    user = make_account("someone", (first, world.district))
    with pytest.raises(AdminSeparationError, match="三员分立"):
        role_grant(user=user, role=second, territory=world.district, by=SYSTEM, now=NOW)


def test_one_person_has_at_most_one_account(world) -> None:  # type: ignore[no-untyped-def]
    """So the separation above, checked per account, also holds per natural person."""
    person = add_person("周管理", world.c11)
    make_account("sec1", (Role.SECURITY_ADMIN, world.district), person=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="aud-same-person", person=person)


def test_the_database_refuses_two_admin_roles_even_past_the_service(world) -> None:  # type: ignore[no-untyped-def]
    admin = make_account("sysadmin", (Role.SYSTEM_ADMIN, world.district))
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=admin, role=Role.AUDIT_ADMIN, territory=world.district, granted_at=NOW)


def test_a_revoked_admin_role_can_be_replaced_by_another(world) -> None:  # type: ignore[no-untyped-def]
    admin = make_account("sysadmin", (Role.SYSTEM_ADMIN, world.district))
    role_revoke(grant=admin.grants.get(), by=SYSTEM, now=NOW)
    role_grant(user=admin, role=Role.AUDIT_ADMIN, territory=world.district, by=SYSTEM, now=NOW)
    assert set(RoleGrant.objects.active().filter(user=admin).values_list("role", flat=True)) == {
        "audit_admin"
    }


def test_grants_and_revocations_are_audited(world) -> None:  # type: ignore[no-untyped-def]
    user = make_account("street", (Role.STREET_STAFF, world.street1))
    role_revoke(grant=user.grants.get(), by=SYSTEM, now=NOW)
    assert AuditEvent.objects.filter(action=AuditAction.GRANT, detail__user=user.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.REVOKE, detail__user=user.pk).exists()


def test_password_policy_in_chinese(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        account_create(username="weak", password="abcdefghij", person=None, by=SYSTEM)
    assert any("至少三类" in m for m in exc.value.messages)
    assert not User.objects.filter(username="weak").exists()


def test_grant_role_command_grants_refuses_and_revokes(world) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import CommandError, call_command

    make_account("ops", (Role.SYSTEM_ADMIN, world.district))
    with pytest.raises(CommandError, match="三员分立"):
        call_command("grant_role", "ops", "audit_admin", "--territory", "310110")
    with pytest.raises(CommandError, match="只授予一个节点"):
        call_command("grant_role", "ops", "system_admin", "--territory", "310110001")
    make_account("clerk")
    call_command("grant_role", "clerk", "community_staff", "--territory", "310110001001")
    assert RoleGrant.objects.active().filter(user__username="clerk", territory=world.c11).exists()
    call_command("grant_role", "clerk", "community_staff", "--territory", "310110001001", "--revoke")
    assert not RoleGrant.objects.active().filter(user__username="clerk").exists()
    with pytest.raises(CommandError, match="没有这个角色"):
        call_command("grant_role", "clerk", "community_staff", "--territory", "310110001001", "--revoke")
