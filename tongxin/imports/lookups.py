"""Everything an import file refers to, loaded once per file in batches of BATCH values: the
organisations and places in scope by code, units by credit code and by name, the persons already
registered with their memberships, and which of those the importer may change or see."""

from collections import defaultdict
from collections.abc import Iterable
from contextlib import suppress
from typing import Any

from django.core.exceptions import ValidationError

from tongxin.core.validators import normalize_credit_code
from tongxin.orgs.models import Organization
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from . import columns as C
from .cells import is_blank, text
from .reader import DataRow
from .scope import ImportScope

BATCH = 1000


class Lookups:
    """Everything the rows refer to, loaded in batches: the organisations and places in scope by
    code, units by credit code and by name, and the persons already registered."""

    def __init__(self, rows: list[DataRow], scope: ImportScope) -> None:
        def wanted(name: str) -> set[str]:
            return {text(r.values[name]) for r in rows if not is_blank(r.values.get(name))}

        self.orgs: dict[str, Organization] = {}
        for batch in batches(wanted(C.ORG_CODE)):
            self.orgs |= {o.code: o for o in scope.organizations().filter(code__in=batch)}
        self.territories: dict[str, Territory] = {}
        for batch in batches(wanted(C.COMMUNITY_CODE)):
            self.territories |= {t.code: t for t in scope.territories().filter(code__in=batch)}
        # Credit codes are a public register: a unit is found by its code wherever it is, since
        # members work all over the district; names, which are not unique, only within scope.
        codes = set()
        for raw in wanted(C.EMPLOYER_CODE):
            with suppress(ValidationError):  # a wrong code is reported with its row later
                codes.add(normalize_credit_code(raw))
        self.units_by_code: dict[str, Unit] = {}
        for batch in batches(codes):
            self.units_by_code |= {u.credit_code: u for u in Unit.objects.filter(credit_code__in=batch)}
        self.units_by_name: dict[str, list[Unit]] = defaultdict(list)
        for batch in batches(wanted(C.EMPLOYER)):
            for unit in scope.units().filter(name__in=batch):
                self.units_by_name[unit.name].append(unit)
        self.persons: dict[str, Person] = {}
        self.memberships: dict[int, Membership] = {}
        self.changeable: set[int] = set()
        self.roster_orgs: set[int] = set()
        self.seen_orgs: set[int] = set()
        self.scope = scope

    def load_persons(self, indexes: Iterable[str]) -> None:
        for batch in batches(set(indexes)):
            found = Person.objects.filter(id_number_index__in=batch).select_related("residence")
            self.persons |= {p.id_number_index: p for p in found}
        ids = [p.pk for p in self.persons.values()]
        self.changeable = self.scope.changeable_person_ids(ids)
        for batch in batches(ids):
            members = Membership.objects.filter(person_id__in=batch).select_related(
                "organization", "party_group", "employer"
            )
            self.memberships |= {m.person_id: m for m in members}
        org_ids = {m.organization_id for m in self.memberships.values()}
        for batch in batches(org_ids):
            allowed = self.scope.organizations().filter(pk__in=batch).values_list("pk", flat=True)
            self.roster_orgs |= set(allowed)
            seen = self.scope.seen_rosters().filter(pk__in=batch).values_list("pk", flat=True)
            self.seen_orgs |= set(seen)


def batches(items: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(items)
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]
