"""The bulk path: writes a generated world in batches, for tiers too large for one service call per
row. It must give the same rows as the services (tests/test_bulk_equivalence.py proves it), so it
reuses their pieces: treebeard's path scheme, the field cipher and the blind-index functions, and
the ID-number parser for gender and birth date. Rules the services check are kept by construction
in the generator; the audit log gets one event per kind of row with the counts.

Trees and units go through bulk_create (thousands of rows). Persons and memberships (millions) are
written as raw rows: COPY on PostgreSQL, executemany on SQLite, with ids assigned here so that
memberships can point at their persons without reading them back. Encryption is the hot spot, so
rows are built in a pool of worker processes when `jobs` > 1."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.crypto import encrypt
from tongxin.core.search_keys import name_sort_key, search_key
from tongxin.core.validators import parse_id_number
from tongxin.orgs.models import Organization
from tongxin.people.models import Membership, Person
from tongxin.people.services import id_number_index, mobile_index
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .codes import IdNumberAllocator
from .population import Identity, chunk_identities, chunk_people
from .specs import MembershipSpec, OrgSpec, PersonSpec, PopulationChunk, TerritorySpec, World
from .tables import Columns, RowTable, plain_indexes_deferred

TREE_BATCH = 2000


# --- trees: treebeard's materialised paths, computed here ---------------------------------------


@dataclass
class _Place:
    path: str
    depth: int
    children: int = 0


class PathAllocator:
    """Gives each new node the path treebeard's add_child would: the parent's path plus the next
    position among its children, in base 36, zero-padded to steplen. New roots follow the last
    existing root, as add_root does."""

    def __init__(self, model: type[Any]) -> None:
        self.steplen, self.alphabet = model.steplen, model.alphabet
        last_root = model.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
        self.roots = self._decode(last_root) if last_root else 0
        self.places: dict[str, _Place] = {}

    def place(self, key: str, parent_key: str | None) -> _Place:
        if parent_key is None:
            self.roots += 1
            node = _Place(path=self._encode(self.roots), depth=1)
        else:
            parent = self.places[parent_key]  # parents come first in the generated order
            parent.children += 1
            node = _Place(path=parent.path + self._encode(parent.children), depth=parent.depth + 1)
        self.places[key] = node
        return node

    def _encode(self, position: int) -> str:
        digits = []
        while position:
            position, r = divmod(position, len(self.alphabet))
            digits.append(self.alphabet[r])
        step = "".join(reversed(digits)).rjust(self.steplen, self.alphabet[0])
        if len(step) > self.steplen:
            raise OverflowError(f"more than {len(self.alphabet) ** self.steplen - 1} children under one node")
        return step

    def _decode(self, path: str) -> int:
        return int(path[-self.steplen :], len(self.alphabet))


def _placed(
    model: type[Any], specs: list[Any], key: Callable[[Any], str], parent: Callable[[Any], str | None]
):  # type: ignore[no-untyped-def]
    """(spec, place) pairs, returned once every node is placed so that numchild is final."""
    paths = PathAllocator(model)
    places = [paths.place(key(s), parent(s)) for s in specs]
    return list(zip(specs, places, strict=True))


class BulkWriter:
    def __init__(
        self, *, by: Actor, now: datetime | None = None, jobs: int = 1, batch_size: int = 5000
    ) -> None:
        self.by, self.jobs, self.batch_size = by, jobs, batch_size
        self.now = now or timezone.now()

    def audit(self, model: type[models.Model], **detail: Any) -> None:
        audit_record(
            actor=self.by,
            action=AuditAction.CREATE,
            object_type=model._meta.label_lower,
            object_repr=f"批量生成{model._meta.verbose_name}",
            detail={"bulk": True, **detail},
        )

    def write_tree(self, world: World) -> dict[str, int]:
        territory_ids = self.write_territories(world.territories)
        unit_ids = self.write_units(world, territory_ids)
        links = self.write_organizations(world.organizations, territory_ids, unit_ids)
        return {
            "territories": len(territory_ids),
            "units": len(unit_ids),
            "organizations": len(world.organizations),
            "unit_links": links,
        }

    def write_territories(self, specs: list[TerritorySpec]) -> dict[str, int]:
        placed = _placed(Territory, specs, lambda s: s.code, lambda s: s.parent_code)
        rows = [
            Territory(
                name=s.name,
                code=s.code,
                level=s.level,
                path=p.path,
                depth=p.depth,
                numchild=p.children,
                search_key=search_key(s.name),
            )
            for s, p in placed
        ]
        Territory.objects.bulk_create(rows, batch_size=TREE_BATCH)
        self.audit(Territory, count=len(rows))
        return dict(Territory.objects.filter(code__in=[s.code for s in specs]).values_list("code", "id"))

    def write_units(self, world: World, territory_ids: dict[str, int]) -> dict[str, int]:
        rows = [
            Unit(
                name=s.name,
                credit_code=s.credit_code,
                kind=s.kind,
                territory_id=territory_ids[s.territory_code],
                address=s.address,
            )
            for s in world.units
        ]
        Unit.objects.bulk_create(rows, batch_size=TREE_BATCH)
        self.audit(Unit, count=len(rows))
        codes = [s.credit_code for s in world.units]
        return dict(Unit.objects.filter(credit_code__in=codes).values_list("credit_code", "id"))

    def write_organizations(
        self, specs: list[OrgSpec], territory_ids: dict[str, int], unit_ids: dict[str, int]
    ) -> int:
        placed = _placed(Organization, specs, lambda s: s.code, lambda s: s.parent_code)
        rows = [
            Organization(
                name=s.name,
                search_key=search_key(s.name),
                code=s.code,
                kind=s.kind,
                is_external=s.is_external,
                territory_id=territory_ids[s.territory_code] if s.territory_code else None,
                committee_elected_on=s.committee_elected_on,
                path=p.path,
                depth=p.depth,
                numchild=p.children,
            )
            for s, p in placed
        ]
        Organization.objects.bulk_create(rows, batch_size=TREE_BATCH)
        org_ids = dict(
            Organization.objects.filter(code__in=[s.code for s in specs]).values_list("code", "id")
        )
        through = Organization.units.through
        links = [
            through(organization_id=org_ids[s.code], unit_id=unit_ids[c]) for s in specs for c in s.unit_codes
        ]
        through.objects.bulk_create(links, batch_size=TREE_BATCH)
        self.audit(Organization, count=len(rows), unit_links=len(links))
        return len(links)

    # --- people ---------------------------------------------------------------------------------

    def write_population(self, world: World, ids: IdNumberAllocator | None = None) -> dict[str, int]:
        context = RowContext.load(world=world, now=self.now)
        person_table = RowTable(Person, PERSON_COLUMNS)
        membership_table = RowTable(Membership, MEMBERSHIP_COLUMNS)
        counts = {"persons": 0, "memberships": 0}
        tasks = self._tasks(world, ids or IdNumberAllocator(), first_id=_next_id(Person))
        with plain_indexes_deferred(Person, Membership):
            for person_rows, membership_rows in self._build(context, tasks):
                person_table.write(person_rows)
                membership_table.write(membership_rows)
                counts["persons"] += len(person_rows)
                counts["memberships"] += len(membership_rows)
        person_table.reset_sequence()
        self.audit(Person, count=counts["persons"])
        self.audit(Membership, count=counts["memberships"])
        return counts

    def _tasks(self, world: World, ids: IdNumberAllocator, *, first_id: int) -> Iterator[Task]:
        """Chunks with their identities (drawn here, in order, for unique ID numbers), grouped into
        tasks of about batch_size persons, each with the id of its first person."""
        next_id = first_id
        task = Task(first_id=next_id)
        for chunk in world.chunks:
            identities = chunk_identities(world, chunk, ids)
            task.chunks.append((chunk, identities))
            next_id += len(identities)
            if next_id - task.first_id >= self.batch_size:
                yield task
                task = Task(first_id=next_id)
        if task.chunks:
            yield task

    def _build(self, context: RowContext, tasks: Iterator[Task]) -> Iterator[tuple[list[tuple], list[tuple]]]:
        if self.jobs <= 1:
            _init_worker(context)
            yield from map(build_rows, tasks)
            return
        # fork: workers inherit settings (the keys) and the context without pickling it; they
        # never touch the parent's database connection.
        pool = multiprocessing.get_context("fork").Pool(
            self.jobs, initializer=_init_worker, initargs=(context,)
        )
        try:
            yield from pool.imap(build_rows, tasks)  # ordered, so ids and output are repeatable
        finally:
            pool.terminate()


@dataclass
class Task:
    first_id: int
    chunks: list[tuple[PopulationChunk, list[Identity]]] = field(default_factory=list)


@dataclass
class RowContext:
    """What a worker needs to turn identities into rows: the world (for the details), ids by
    natural code, and the timestamp."""

    world: World
    territory_ids: dict[str, int]
    org_ids: dict[str, int]
    unit_ids: dict[str, int]
    now: datetime

    @classmethod
    def load(cls, *, world: World, now: datetime) -> RowContext:
        return cls(
            world=world,
            territory_ids=dict(Territory.objects.values_list("code", "id")),
            org_ids=dict(Organization.objects.values_list("code", "id")),
            unit_ids=dict(Unit.objects.values_list("credit_code", "id")),
            now=now,
        )


_context: RowContext | None = None


def _init_worker(context: RowContext) -> None:
    global _context
    _context = context


def build_rows(task: Task) -> tuple[list[tuple], list[tuple]]:
    """Person and membership rows, as tuples in RowTable column order."""
    ctx = _context
    assert ctx is not None
    person_rows: list[tuple] = []
    membership_rows: list[tuple] = []
    pk = task.first_id
    for chunk, identities in task.chunks:
        persons, memberships = chunk_people(ctx.world, chunk, identities)
        person_ids = {}
        for spec in persons:
            person_ids[spec.id_number] = pk
            person_rows.append(person_row(spec, pk, ctx))
            pk += 1
        membership_rows += [membership_row(spec, person_ids[spec.id_number], ctx) for spec in memberships]
    return person_rows, membership_rows


def _encrypt_or_blank(value: str) -> str:
    return encrypt(value) if value else ""  # EncryptedTextField keeps "" as ""


def person_row(spec: PersonSpec, pk: int, ctx: RowContext) -> tuple:
    facts = parse_id_number(spec.id_number)
    values = {
        "id": pk,
        "name": spec.name,
        "name_sort": name_sort_key(spec.name),
        "id_number": encrypt(spec.id_number),
        "id_number_index": id_number_index(spec.id_number),
        "mobile": _encrypt_or_blank(spec.mobile),
        "mobile_index": mobile_index(spec.mobile),
        "address": _encrypt_or_blank(spec.address),
        "gender": facts.gender,
        "birth_date": facts.birth_date,
        "ethnicity": spec.ethnicity,
        "education": spec.education,
        "residence_id": ctx.territory_ids[spec.residence_code] if spec.residence_code else None,
        "created_at": ctx.now,
        "updated_at": ctx.now,
    }
    return PERSON_COLUMNS.row(values)


def membership_row(spec: MembershipSpec, person_id: int, ctx: RowContext) -> tuple:
    values = {
        "person_id": person_id,
        "organization_id": ctx.org_ids[spec.org_code],
        "party_group_id": ctx.org_ids[spec.party_group_code] if spec.party_group_code else None,
        "status": spec.status,
        "joined_on": spec.joined_on,
        "confirmed_on": spec.confirmed_on,
        "in_service": spec.in_service,
        "employer_id": ctx.unit_ids[spec.employer_code] if spec.employer_code else None,
        "is_flowing": spec.is_flowing,
        "flow_direction": spec.flow_direction,
        "flow_place": spec.flow_place,
        "created_at": ctx.now,
        "updated_at": ctx.now,
    }
    return MEMBERSHIP_COLUMNS.row(values)


PERSON_COLUMNS = Columns(Person)
MEMBERSHIP_COLUMNS = Columns(Membership, exclude=("id",))


def _next_id(model: type[models.Model]) -> int:
    last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1
