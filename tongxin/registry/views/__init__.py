"""Registry pages: thin views that ask the policy module, call one selector or service, render."""

from .audit import audit_export, audit_log
from .common import not_found
from .home import home
from .members import member_add_page, member_edit_page, member_export, member_list
from .orgs import org_detail, org_edit_page, org_export, org_list
from .persons import (
    person_create_page,
    person_detail,
    person_edit_page,
    person_export,
    person_list,
    person_reveal_field,
    person_validate,
)
from .territory import territory_detail, territory_edit_page, territory_export, territory_list
from .tree import tree_children, tree_search_page
from .units import unit_create_page, unit_detail, unit_edit_page, unit_export, unit_list, unit_validate

__all__ = [
    "audit_export",
    "audit_log",
    "home",
    "member_add_page",
    "member_edit_page",
    "member_export",
    "member_list",
    "not_found",
    "org_detail",
    "org_edit_page",
    "org_export",
    "org_list",
    "person_create_page",
    "person_detail",
    "person_edit_page",
    "person_export",
    "person_list",
    "person_reveal_field",
    "person_validate",
    "territory_detail",
    "territory_edit_page",
    "territory_export",
    "territory_list",
    "tree_children",
    "tree_search_page",
    "unit_create_page",
    "unit_detail",
    "unit_edit_page",
    "unit_export",
    "unit_list",
    "unit_validate",
]
