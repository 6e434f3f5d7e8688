"""What one import may touch, asked of the access policy once per file instead of once per row."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from tongxin.accounts.policies import Action, visible, with_visible_rosters
from tongxin.orgs.models import Organization
from tongxin.people.models import Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit


@dataclass(frozen=True)
class ImportScope:
    """`user` None is the system actor (the management command): the whole district."""

    user: Any = None

    @property
    def is_system(self) -> bool:
        return self.user is None

    def organizations(self) -> QuerySet[Organization]:
        """Organisations whose member roster the account may change."""
        if self.is_system:
            return Organization.objects.all()
        return with_visible_rosters(self.user, Action.CHANGE)

    def seen_rosters(self) -> QuerySet[Organization]:
        """Organisations whose members the account may see: a refusal names only these."""
        if self.is_system:
            return Organization.objects.all()
        return with_visible_rosters(self.user)

    def territories(self) -> QuerySet[Territory]:
        return Territory.objects.all() if self.is_system else visible(self.user, Territory)

    def units(self) -> QuerySet[Unit]:
        return Unit.objects.all() if self.is_system else visible(self.user, Unit)

    def changeable_person_ids(self, ids: Iterable[int]) -> set[int]:
        ids = list(ids)
        if self.is_system:
            return set(ids)
        found: set[int] = set()
        for start in range(0, len(ids), 1000):
            batch = ids[start : start + 1000]
            rows = visible(self.user, Person, Action.CHANGE).filter(pk__in=batch)
            found |= set(rows.values_list("pk", flat=True))
        return found

    def may_import(self) -> bool:
        """Whether the account may add members anywhere: the upload page exists for it."""
        if self.is_system:
            return True
        return with_visible_rosters(self.user, Action.CREATE).exists()
