"""What checking an import file yields: the problems found, and for each valid row its plan (create
a person and membership, update either, or nothing), with the column through which each stored
field changes."""

from dataclasses import dataclass, field
from typing import Any

from tongxin.people.models import Membership, Person

from . import columns as C

PERSON_FIELD_COLUMN = {
    "name": C.NAME,
    "id_number": C.ID_NUMBER,
    "mobile": C.MOBILE,
    "ethnicity": C.ETHNICITY,
    "education": C.EDUCATION,
    "residence": C.COMMUNITY_CODE,
}
MEMBERSHIP_FIELD_COLUMN = {
    "organization": C.ORG_CODE,
    "party_group": C.ORG_CODE,
    "status": C.STATUS,
    "joined_on": C.JOINED,
    "confirmed_on": C.CONFIRMED,
    "employer": C.EMPLOYER,
    "flow_direction": C.FLOWING,
}
# The column through which each stored field changes (name_sort and the blind indexes follow
# their field and are not listed).
CHANGED_FIELD_COLUMN = {
    **PERSON_FIELD_COLUMN,
    **MEMBERSHIP_FIELD_COLUMN,
    "in_service": C.IN_SERVICE,
    "is_flowing": C.FLOWING,
    "flow_direction": C.FLOW_DIRECTION,
    "flow_place": C.FLOW_PLACE,
}
COLUMN_ORDER = {name: i for i, name in enumerate([*C.TEMPLATE_NAMES, C.FLOW_DIRECTION, C.FLOW_PLACE])}


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class RowPlan:
    """What one valid row will do: create a person and membership, or update either."""

    row: int
    person_values: dict[str, Any]
    membership_values: dict[str, Any]
    person: Person | None = None
    membership: Membership | None = None
    person_changed: list[str] = field(default_factory=list)
    membership_changed: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.person is None:
            return "create"
        return "update" if self.person_changed or self.membership_changed else "unchanged"

    def update_summary(self) -> dict[str, Any]:
        """The row of an update as the result lists it: its number, the person's name and the
        columns that changed, by name only: values of ID numbers and phones are never shown."""
        assert self.person is not None
        new_membership = self.membership is None and bool(self.membership_changed)
        fields = {
            CHANGED_FIELD_COLUMN[key]
            for key in [*self.person_changed, *([] if new_membership else self.membership_changed)]
            if key in CHANGED_FIELD_COLUMN
        }
        return {
            "row": self.row,
            "name": self.person.name,
            "fields": sorted(fields, key=lambda name: COLUMN_ORDER.get(name, 99)),
            "new_membership": new_membership,
        }


@dataclass
class Checked:
    total: int
    plans: list[RowPlan]
    problems: list[Problem]

    def counts(self) -> dict[str, int]:
        actions = [p.action for p in self.plans]
        return {a: actions.count(a) for a in ("create", "update", "unchanged")}

    def updates(self) -> list[dict[str, Any]]:
        return [p.update_summary() for p in self.plans if p.action == "update"]
