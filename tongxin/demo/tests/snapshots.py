"""Rows of the generated world keyed by natural codes (never by pk), so two ways of writing the same
world can be compared, and a way to write into the database and roll it back afterwards."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection, transaction

from tongxin.demo.seeding import SeedOptions, seed_demo
from tongxin.orgs.models import Organization
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

TODAY = date(2026, 6, 1)
NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


def tiny_options(**overrides: Any) -> SeedOptions:
    values: dict[str, Any] = {
        "tier": "tiny",
        "seed": 7,
        "today": TODAY,
        "now": NOW,
        "accounts": False,
        "service_card": False,
    }
    values.update(overrides)
    return SeedOptions(**values)


class _Rollback(Exception):
    pass


def snapshot_of(write: Callable[[], object]) -> dict[str, Any]:
    """Run `write`, take a snapshot, and roll everything back (tree positions restart)."""
    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            write()
            result.update(snapshot())
            raise _Rollback
    except _Rollback:
        pass
    return result


def seeded_snapshot(**overrides: Any) -> dict[str, Any]:
    return snapshot_of(lambda: seed_demo(tiny_options(**overrides)))


def snapshot() -> dict[str, Any]:
    return {
        "territories": {
            t.code: (t.name, t.level, t.path, t.depth, t.numchild) for t in Territory.objects.all()
        },
        "units": {
            u.credit_code: (u.name, u.kind, u.territory.code, u.address)
            for u in Unit.objects.select_related("territory")
        },
        "organizations": {
            o.code: (
                o.name,
                o.kind,
                o.path,
                o.depth,
                o.numchild,
                o.is_external,
                o.territory.code if o.territory else None,
                o.committee_elected_on,
                tuple(sorted(u.credit_code for u in o.units.all())),
            )
            for o in Organization.objects.select_related("territory").prefetch_related("units")
        },
        "persons": {
            p.id_number_index: (
                p.name,
                p.id_number,
                p.mobile,
                p.mobile_index,
                p.address,
                p.gender,
                p.birth_date,
                p.ethnicity,
                p.education,
                p.residence.code if p.residence else None,
            )
            for p in Person.objects.select_related("residence")
        },
        "memberships": {
            m.person.id_number_index: (
                m.organization.code,
                m.party_group.code if m.party_group else None,
                m.status,
                m.joined_on,
                m.confirmed_on,
                m.in_service,
                m.employer.credit_code if m.employer else None,
                m.is_flowing,
                m.flow_direction,
                m.flow_place,
            )
            for m in Membership.objects.select_related("person", "organization", "party_group", "employer")
        },
        "tree_problems": (Territory.objects.find_problems(), Organization.objects.find_problems()),
        "stored_ciphertexts": _stored_person_columns(),
    }


def _stored_person_columns() -> list[tuple[str, str]]:
    """A few raw column values as stored, to see that they are ciphertext, not clear text."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, address FROM people_person ORDER BY id LIMIT 5")
        return list(cursor.fetchall())


NO_PROBLEMS = (([], [], [], [], []), ([], [], [], [], []))
