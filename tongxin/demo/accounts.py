"""Demo accounts: one per role, on nodes of the generated world, made through the account services.

Each account belongs to a generated person (real-name, as every account must be); the three
administrators are three different people (三员分立). Staff accounts get a confirmed TOTP device
whose key is derived from the seed, so `demo_logins` shows the same secret after every reseed."""

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.db.models import Exists, OuterRef, QuerySet

from tongxin.accounts.models import STAFF_ROLES, Role, User
from tongxin.accounts.services import account_create, recovery_codes_issue, role_grant, totp_device_create
from tongxin.core.actor import Actor
from tongxin.core.trees import subtree_q
from tongxin.orgs.models import Organization, OrgKind
from tongxin.people.models import Membership, MemberStatus, Person
from tongxin.territory.models import Territory, TerritoryLevel

# Public on purpose: demo only; the commands that use it refuse to run where DEBUG is off.
DEMO_PASSWORD = "Tongxin-Demo-2026"  # noqa: S105
N = TypeVar("N", Territory, Organization)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str


DEMO_ACCOUNTS = (
    DemoAccount("demo_district", Role.DISTRICT_ADMIN),
    DemoAccount("demo_street", Role.STREET_STAFF),
    DemoAccount("demo_community", Role.COMMUNITY_STAFF),
    DemoAccount("demo_unit", Role.UNIT_CONTACT),
    DemoAccount("demo_member", Role.PARTY_MEMBER),
    DemoAccount("demo_resident", Role.RESIDENT),
    DemoAccount("demo_grid", Role.GRID_WORKER),
    DemoAccount("demo_sysadmin", Role.SYSTEM_ADMIN),
    DemoAccount("demo_secadmin", Role.SECURITY_ADMIN),
    DemoAccount("demo_auditor", Role.AUDIT_ADMIN),
)
DEMO_USERNAMES = tuple(a.username for a in DEMO_ACCOUNTS)


def totp_key(*, seed: int, username: str) -> str:
    """A 20-byte hex key (django-otp's format), the same for the same seed and username."""
    return hmac.new(f"tongxin-demo:{seed}".encode(), username.encode(), hashlib.sha1).hexdigest()


@dataclass
class DemoNodes:
    """The nodes the demo accounts are granted on: the first of each kind in tree order."""

    district: Territory
    district_committee: Organization
    street: Territory
    community: Territory
    grid: Territory
    unit_branch: Organization
    member_branch: Organization

    @classmethod
    def find(cls) -> "DemoNodes":
        district = Territory.objects.filter(level=TerritoryLevel.DISTRICT).order_by("path").first()
        if district is None:
            raise LookupError("no district to grant demo roles on")
        street = _first(Territory.objects.filter(depth=district.depth + 1), district.path)
        community = _first(Territory.objects.filter(level=TerritoryLevel.COMMUNITY), street.path)
        branches = Organization.objects.filter(kind=OrgKind.BRANCH, is_external=False).order_by("path")
        has_units = Exists(Organization.units.through.objects.filter(organization_id=OuterRef("pk")))
        return cls(
            district=district,
            district_committee=Organization.objects.filter(
                depth=1, is_external=False, territory=district
            ).get(),
            street=street,
            community=community,
            grid=_first(Territory.objects.filter(level=TerritoryLevel.GRID), community.path),
            unit_branch=_one(branches.filter(has_units, subtree_q([street.path], field="territory__path"))),
            member_branch=_one(branches.filter(~has_units, territory=community)),
        )


def _first(nodes: QuerySet[Territory], under: str) -> Territory:
    return _one(nodes.filter(subtree_q([under])).order_by("path"))


def _one(rows: QuerySet[N]) -> N:
    row = rows.first()
    if row is None:
        raise LookupError(f"the generated world has no {rows.model._meta.verbose_name} for a demo account")
    return row


class PersonPicker:
    """Picks generated people for the accounts, each person at most once."""

    def __init__(self) -> None:
        self.taken: set[int] = set()

    def _take(self, persons: QuerySet[Person]) -> Person:
        person = persons.exclude(pk__in=self.taken).order_by("pk").first()
        if person is None:
            raise LookupError("no generated person left for a demo account")
        self.taken.add(person.pk)
        return person

    def resident_of(self, node: Territory, *, with_mobile: bool = False) -> Person:
        # NOT EXISTS rather than `membership=None`: Django writes the latter as a LEFT JOIN with
        # "membership.id IS NULL", which PostgreSQL estimates at one row and then nests loops over
        # a million persons (minutes instead of milliseconds at the district tier).
        is_member = Exists(Membership.objects.filter(person_id=OuterRef("pk")))
        persons = Person.objects.filter(subtree_q([node.path], field="residence__path"), ~is_member)
        return self._take(_with_mobile(persons) if with_mobile else persons)

    def member_of(self, branch: Organization, *, with_mobile: bool = False) -> Person:
        persons = Person.objects.filter(membership__organization=branch, membership__status=MemberStatus.FULL)
        return self._take(_with_mobile(persons) if with_mobile else persons)


def _with_mobile(persons: QuerySet[Person]) -> QuerySet[Person]:
    """Residents and members log in on the phone site with an SMS code, so their demo accounts
    belong to people whose mobile number is on record."""
    return persons.exclude(mobile_index="")


def create_demo_accounts(*, seed: int, now: datetime, by: Actor) -> list[User]:
    nodes = DemoNodes.find()
    people = PersonPicker()
    # (account, the person behind it, its grants as (territory, organization) pairs)
    plan: dict[str, Callable[[], tuple[Person, list[tuple[Territory | None, Organization | None]]]]] = {
        Role.DISTRICT_ADMIN: lambda: (
            people.resident_of(nodes.district),
            [(nodes.district, None), (None, nodes.district_committee)],
        ),
        Role.STREET_STAFF: lambda: (people.resident_of(nodes.street), [(nodes.street, None)]),
        Role.COMMUNITY_STAFF: lambda: (people.resident_of(nodes.community), [(nodes.community, None)]),
        Role.UNIT_CONTACT: lambda: (people.member_of(nodes.unit_branch), [(None, nodes.unit_branch)]),
        Role.PARTY_MEMBER: lambda: (
            people.member_of(nodes.member_branch, with_mobile=True),
            [(None, nodes.member_branch)],
        ),
        Role.RESIDENT: lambda: (
            people.resident_of(nodes.community, with_mobile=True),
            [(nodes.community, None)],
        ),
        Role.GRID_WORKER: lambda: (people.resident_of(nodes.community), [(nodes.grid, None)]),
        Role.SYSTEM_ADMIN: lambda: (people.resident_of(nodes.district), [(nodes.district, None)]),
        Role.SECURITY_ADMIN: lambda: (people.resident_of(nodes.district), [(nodes.district, None)]),
        Role.AUDIT_ADMIN: lambda: (people.resident_of(nodes.district), [(nodes.district, None)]),
    }
    users = []
    for account in DEMO_ACCOUNTS:
        person, grants = plan[account.role]()
        users.append(_create_account(account, person=person, grants=grants, seed=seed, now=now, by=by))
    return users


def _create_account(
    account: DemoAccount,
    *,
    person: Person,
    grants: list[tuple[Territory | None, Organization | None]],
    seed: int,
    now: datetime,
    by: Actor,
) -> User:
    user = account_create(
        username=account.username, password=DEMO_PASSWORD, person=person, full_name=person.name, by=by
    )
    for territory, organization in grants:
        role_grant(
            user=user, role=account.role, territory=territory, organization=organization, by=by, now=now
        )
    if account.role in STAFF_ROLES:
        totp_device_create(user=user, confirmed=True, key=totp_key(seed=seed, username=account.username))
        recovery_codes_issue(user=user)
    return user
