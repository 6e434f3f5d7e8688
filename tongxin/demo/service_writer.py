"""Writes a generated world through the real services: every rule is checked and every row audited,
exactly as if a person had typed it. Used for the tree of the small tier and for everything in tests."""

from collections.abc import Iterable
from datetime import date

from tongxin.core.actor import Actor
from tongxin.orgs.models import Organization
from tongxin.orgs.services import organization_create
from tongxin.people.services import MembershipData, PersonData, membership_save, person_create
from tongxin.territory.models import Territory
from tongxin.territory.services import territory_create
from tongxin.units.models import Unit
from tongxin.units.services import unit_create

from .codes import IdNumberAllocator
from .population import iter_population
from .specs import MembershipSpec, OrgSpec, PersonSpec, TerritorySpec, UnitSpec, World


class ServiceWriter:
    def __init__(self, *, by: Actor, today: date) -> None:
        self.by, self.today = by, today
        self.territories: dict[str, Territory] = {}
        self.units: dict[str, Unit] = {}
        self.organizations: dict[str, Organization] = {}

    def write_tree(self, world: World) -> dict[str, int]:
        self.write_territories(world.territories)
        self.write_units(world.units)
        self.write_organizations(world.organizations)
        return {
            "territories": len(world.territories),
            "units": len(world.units),
            "organizations": len(world.organizations),
        }

    def write_territories(self, specs: Iterable[TerritorySpec]) -> None:
        for spec in specs:
            parent = self.territories[spec.parent_code] if spec.parent_code else None
            self.territories[spec.code] = territory_create(
                name=spec.name, code=spec.code, level=spec.level, parent=parent, by=self.by
            )

    def write_units(self, specs: Iterable[UnitSpec]) -> None:
        for spec in specs:
            self.units[spec.credit_code] = unit_create(
                name=spec.name,
                credit_code=spec.credit_code,
                kind=spec.kind,
                territory=self.territories[spec.territory_code],
                address=spec.address,
                by=self.by,
            )

    def write_organizations(self, specs: Iterable[OrgSpec]) -> None:
        for spec in specs:
            self.organizations[spec.code] = organization_create(
                name=spec.name,
                code=spec.code,
                kind=spec.kind,
                parent=self.organizations[spec.parent_code] if spec.parent_code else None,
                territory=self.territories[spec.territory_code] if spec.territory_code else None,
                is_external=spec.is_external,
                units=[self.units[c] for c in spec.unit_codes],
                committee_elected_on=spec.committee_elected_on,
                by=self.by,
            )

    def write_population(self, world: World, ids: IdNumberAllocator | None = None) -> dict[str, int]:
        persons = memberships = 0
        for person_specs, membership_specs in iter_population(world, ids):
            created = {spec.id_number: self.write_person(spec) for spec in person_specs}
            for spec in membership_specs:
                self.write_membership(spec, created[spec.id_number])
            persons += len(person_specs)
            memberships += len(membership_specs)
        return {"persons": persons, "memberships": memberships}

    def write_person(self, spec: PersonSpec):  # type: ignore[no-untyped-def]
        data = PersonData(
            name=spec.name,
            id_number=spec.id_number,
            mobile=spec.mobile,
            address=spec.address,
            ethnicity=spec.ethnicity,
            education=spec.education,
            residence=self.territories[spec.residence_code] if spec.residence_code else None,
        )
        return person_create(data=data, by=self.by)

    def write_membership(self, spec: MembershipSpec, person) -> None:  # type: ignore[no-untyped-def]
        data = MembershipData(
            organization=self.organizations[spec.org_code],
            status=spec.status,
            joined_on=spec.joined_on,
            confirmed_on=spec.confirmed_on,
            in_service=spec.in_service,
            employer=self.units[spec.employer_code] if spec.employer_code else None,
            is_flowing=spec.is_flowing,
            flow_direction=spec.flow_direction,
            flow_place=spec.flow_place,
            party_group=self.organizations[spec.party_group_code] if spec.party_group_code else None,
        )
        membership_save(person=person, data=data, by=self.by, today=self.today)
