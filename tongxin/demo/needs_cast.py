"""The cast of the demo needs: who acts in their history. One street staff, one community staff
and one claiming party member per street; in the demo accounts' own street the demo accounts
play these parts, so that they have a history and work waiting."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef

from tongxin.accounts.models import Role, User
from tongxin.accounts.services import account_create, role_grant
from tongxin.core.actor import Actor
from tongxin.core.trees import subtree_q
from tongxin.needs import policies
from tongxin.orgs.models import Organization, OrgKind
from tongxin.people.models import Membership, MemberStatus, Person
from tongxin.territory.models import Territory, TerritoryLevel

STREET_LEVELS = (TerritoryLevel.STREET, TerritoryLevel.TOWN)
COMMUNITY_LEVELS = (TerritoryLevel.COMMUNITY, TerritoryLevel.VILLAGE)


@dataclass
class StreetCast:
    street: User
    community: User  # staff of the street's first community (the one that bounces)
    claimer: User | None  # a party member of that community's branch
    claim_communities: frozenset[int]
    claimer_org_id: int | None


@dataclass
class Cast:
    streets: dict[int, StreetCast]
    resident: User | None  # demo_resident, who submits on the phone and rates
    resident_community_id: int | None
    unit_contact_unit_id: int | None  # demo_unit's unit, when the demo street can dispatch to it

    def user(self, role: str, street_id: int) -> User:
        if role == "resident":
            assert self.resident is not None
            return self.resident
        cast = self.streets[street_id]
        user = {"street": cast.street, "community": cast.community, "claimer": cast.claimer}[role]
        assert user is not None, role
        return user


def actor_of(user: User) -> Actor:
    return Actor(user=user, label=user.get_username())


def _first_community(street: Territory) -> Territory | None:
    return (
        Territory.objects.filter(subtree_q([street.path]), level__in=COMMUNITY_LEVELS)
        .order_by("path")
        .first()
    )


def _account(username: str, *, person: Person | None, role: str, node: Any, by: Actor, now: datetime) -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    # Simulation accounts: they act in the history, nobody logs in with them.
    user = account_create(
        username=username,
        # Random, yet always of the four kinds the password policy counts (a bare token now and
        # then lacks a digit or a capital, and the policy refuses it).
        password=secrets.token_urlsafe(24) + "Aa1!",
        person=person,
        full_name=person.name if person else "",
        by=by,
    )
    if isinstance(node, Territory):
        role_grant(user=user, role=role, territory=node, by=by, now=now)
    else:
        role_grant(user=user, role=role, organization=node, by=by, now=now)
    return User.objects.get(pk=user.pk)


def _claimer_person(community: Territory) -> tuple[Person, Organization] | None:
    has_units = Exists(Organization.units.through.objects.filter(organization_id=OuterRef("pk")))
    branch = (
        Organization.objects.filter(~has_units, kind=OrgKind.BRANCH, territory=community, is_external=False)
        .order_by("path")
        .first()
    )
    if branch is None:
        return None
    has_account = Exists(User.objects.filter(person_id=OuterRef("pk")))
    person = (
        Person.objects.filter(
            ~has_account,
            membership__organization=branch,
            membership__status=MemberStatus.FULL,
            residence__isnull=False,
        )
        .exclude(mobile_index="")
        .order_by("pk")
        .first()
    )
    return (person, branch) if person is not None else None


def cast_create(*, by: Actor, now: datetime) -> Cast:
    """One street staff, one community staff and one claiming member per street; the demo accounts
    play these parts in their own street (so they have a history and work to do)."""
    demo = {u.username: u for u in User.objects.filter(username__startswith="demo_").select_related("person")}
    streets: dict[int, StreetCast] = {}
    for street in Territory.objects.filter(level__in=STREET_LEVELS).order_by("path"):
        community = _first_community(street)
        if community is None:
            continue
        demo_street = demo.get("demo_street")
        is_demo_street = demo_street is not None and demo_street.grants.filter(territory=street).exists()
        if is_demo_street:
            street_user, community_user = demo["demo_street"], demo["demo_community"]
            claimer = demo.get("demo_member")
        else:
            street_user = _account(
                f"cast_{street.code}_street", person=None, role=Role.STREET_STAFF, node=street, by=by, now=now
            )
            community_user = _account(
                f"cast_{street.code}_community",
                person=None,
                role=Role.COMMUNITY_STAFF,
                node=community,
                by=by,
                now=now,
            )
            found = _claimer_person(community)
            claimer = (
                _account(
                    f"cast_{street.code}_member",
                    person=found[0],
                    role=Role.PARTY_MEMBER,
                    node=found[1],
                    by=by,
                    now=now,
                )
                if found
                else None
            )
        claim_paths = set(policies.claim_communities(claimer)) if claimer else set()
        membership = (
            Membership.objects.filter(person_id=claimer.person_id).first()
            if claimer is not None and claimer.person_id is not None
            else None
        )
        streets[street.pk] = StreetCast(
            street=street_user,
            community=community_user,
            claimer=claimer,
            claim_communities=frozenset(
                Territory.objects.filter(path__in=claim_paths).values_list("pk", flat=True)
            ),
            claimer_org_id=membership.organization_id if membership else None,
        )
    resident = demo.get("demo_resident")
    resident_community = None
    if resident is not None and resident.person and resident.person.residence:
        path = resident.person.residence.path
        resident_community = (
            Territory.objects.filter(
                path__in=[path[:i] for i in range(4, len(path) + 1, 4)], level__in=COMMUNITY_LEVELS
            )
            .values_list("pk", flat=True)
            .first()
        )
    unit_id = None
    unit_contact = demo.get("demo_unit")
    if unit_contact is not None:
        grant = unit_contact.grants.select_related("organization").first()
        if grant and grant.organization:
            unit_id = grant.organization.units.order_by("pk").values_list("pk", flat=True).first()
    return Cast(
        streets=streets,
        resident=resident if resident_community else None,
        resident_community_id=resident_community,
        unit_contact_unit_id=unit_id,
    )
