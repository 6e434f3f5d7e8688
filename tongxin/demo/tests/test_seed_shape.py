"""A seeded tiny world through the real services looks like a district: valid codes and numbers,
plausible dates, the branch rules kept except for the few deliberate violations, and one demo
account per role."""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tongxin.accounts.models import ADMIN_ROLES, STAFF_ROLES, Role, RoleGrant, User
from tongxin.audit.verification import verify_chain
from tongxin.core.validators import normalize_credit_code, parse_id_number
from tongxin.demo.accounts import DEMO_ACCOUNTS, totp_key
from tongxin.demo.population import add_years
from tongxin.demo.seeding import SERVICES, seed_demo
from tongxin.orgs.models import BRANCH_KINDS, Organization, OrgKind
from tongxin.people.models import Membership, MemberStatus, Person
from tongxin.people.selectors import branch_warnings, organizations_with_counts
from tongxin.territory.models import CODE_LENGTH, Territory, TerritoryLevel
from tongxin.units.models import Unit

from .snapshots import NO_PROBLEMS, TODAY, tiny_options

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Seed once for the module (it takes seconds through the services) and roll it back at the
    end; each test runs in a savepoint inside this transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo(tiny_options(tree_path=SERVICES, people_path=SERVICES, accounts=True, service_card=True))
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _each_test_in_a_savepoint(seeded, db):  # type: ignore[no-untyped-def]
    pass


def test_territory_tree_has_official_style_codes(seeded):  # type: ignore[no-untyped-def]
    levels = {level: Territory.objects.filter(level=level).count() for level in TerritoryLevel.values}
    assert levels["district"] == 1
    assert levels["street"] + levels["town"] == 2
    assert levels["community"] + levels["village"] == 4
    assert levels["grid"] >= 4
    for node in Territory.objects.all():
        assert len(node.code) == CODE_LENGTH[TerritoryLevel(node.level)]
        parent = Territory.objects.get_parent(node)
        assert parent is None or node.code.startswith(parent.code)
    assert (Territory.objects.find_problems(), Organization.objects.find_problems()) == NO_PROBLEMS


def test_units_have_valid_credit_codes_and_most_have_a_party_organisation(seeded):  # type: ignore[no-untyped-def]
    units = list(Unit.objects.all())
    assert len(units) >= 12
    assert all(normalize_credit_code(u.credit_code) == u.credit_code for u in units)
    covered = Unit.objects.filter(organizations__isnull=False).distinct().count()
    assert 0.4 <= covered / len(units) <= 0.95
    external = Organization.objects.filter(is_external=True)
    assert all(o.territory_id is None and o.depth == 1 for o in external)


def test_people_have_valid_ids_mobiles_and_residences(seeded):  # type: ignore[no-untyped-def]
    persons = list(Person.objects.select_related("residence"))
    assert 500 <= len(persons) <= 1200
    for person in persons:
        facts = parse_id_number(person.id_number)
        assert (facts.gender, facts.birth_date) == (person.gender, person.birth_date)
        assert 1940 <= person.birth_date.year <= 2004
        assert person.mobile == "" or re.fullmatch(r"1[3-9]\d{9}", person.mobile)
        if person.residence is not None:
            assert person.residence.level in {"community", "village", "grid"}
            assert person.address
    assert sum(p.residence is None for p in persons) < len(persons) * 0.2


def test_memberships_have_plausible_dates_and_links(seeded):  # type: ignore[no-untyped-def]
    memberships = list(Membership.objects.select_related("person", "organization", "employer"))
    assert 200 <= len(memberships) <= 600
    for m in memberships:
        assert m.joined_on >= add_years(m.person.birth_date, 18)
        if m.status == MemberStatus.FULL:
            assert m.confirmed_on == add_years(m.joined_on, 1)
        else:
            assert m.confirmed_on is None
            assert m.joined_on > TODAY - timedelta(days=366)
        if m.in_service:
            assert m.organization.units.filter(pk=m.employer_id).exists()
    assert any(m.in_service for m in memberships)
    assert any(m.is_flowing for m in memberships)
    assert any(m.status == MemberStatus.PROBATIONARY for m in memberships)


def test_branch_rules_hold_except_for_a_few_deliberate_violations(seeded):  # type: ignore[no-untyped-def]
    warnings = branch_warnings(Organization.objects.all())
    text = " ".join(m for w in warnings for m in w.messages)
    for expected in ("不足3人", "未登记支委会", "超过5个", "应划分党小组"):
        assert expected in text
    branches = organizations_with_counts(
        Organization.objects.filter(kind__in=BRANCH_KINDS, is_external=False)
    )
    assert len(warnings) <= 4 < len(branches)
    with_committee = [b for b in branches if b.full_count >= 7]
    assert sum(b.committee_elected_on is not None for b in with_committee) >= len(with_committee) - 1
    assert Organization.objects.filter(kind=OrgKind.PARTY_GROUP).exists()


def test_one_demo_account_per_role_with_second_factor_for_staff(seeded):  # type: ignore[no-untyped-def]
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.person_id is not None
        assert set(RoleGrant.objects.filter(user=user).values_list("role", flat=True)) == {account.role}
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if account.role in STAFF_ROLES:
            assert device is not None
            assert device.key == totp_key(seed=7, username=account.username)
            assert StaticToken.objects.filter(device__user=user).count() == 10
        else:
            assert device is None
    district_admin = RoleGrant.objects.filter(user__username="demo_district")
    assert {(g.territory_id is None, g.organization_id is None) for g in district_admin} == {
        (True, False),
        (False, True),
    }
    admins = User.objects.filter(grants__role__in=ADMIN_ROLES)
    assert len({u.person_id for u in admins}) == 3


def test_member_and_resident_accounts_are_who_they_say(seeded):  # type: ignore[no-untyped-def]
    member = User.objects.get(username="demo_member")
    grant = member.grants.get()
    assert member.person.membership.organization_id == grant.organization_id
    resident = User.objects.get(username="demo_resident")
    assert not Membership.objects.filter(person=resident.person).exists()
    assert resident.person.residence.path.startswith(resident.grants.get().territory.path)
    assert User.objects.get(username="demo_grid").grants.get(role=Role.GRID_WORKER).territory.level == "grid"


def test_every_service_write_is_audited_and_the_chain_verifies(seeded):  # type: ignore[no-untyped-def]
    checked, broken = verify_chain()
    assert broken is None
    assert checked > Person.objects.count() + Membership.objects.count()


def test_the_service_card_is_seeded_through_its_services_and_the_ledger_balances(seeded):  # type: ignore[no-untyped-def]
    from tongxin.activities.models import Activity
    from tongxin.care.models import CareSubject, CareVisit
    from tongxin.ledger.models import Entry
    from tongxin.ledger.verify import first_violation
    from tongxin.records.models import ServiceRecord
    from tongxin.rewards.models import Redemption
    from tongxin.volunteers.models import Volunteer
    from tongxin.windows.models import Appointment, ServicePoint

    for model in (
        Volunteer,
        ServiceRecord,
        Activity,
        Redemption,
        CareSubject,
        CareVisit,
        ServicePoint,
        Appointment,
        Entry,
    ):
        assert model.objects.exists(), model.__name__
    assert first_violation() is None
