"""Registry pages: thin views that ask the policy module, call one selector or service, render."""

from .audit import audit_log
from .common import not_found
from .home import home
from .orgs import org_detail, org_list
from .persons import (
    person_create_page,
    person_detail,
    person_export,
    person_list,
    person_reveal_field,
    person_validate,
)
from .territory import territory_detail, territory_list
from .units import unit_create_page, unit_detail, unit_export, unit_list, unit_validate

__all__ = [
    "audit_log",
    "home",
    "not_found",
    "org_detail",
    "org_list",
    "person_create_page",
    "person_detail",
    "person_export",
    "person_list",
    "person_reveal_field",
    "person_validate",
    "territory_detail",
    "territory_list",
    "unit_create_page",
    "unit_detail",
    "unit_export",
    "unit_list",
    "unit_validate",
]
