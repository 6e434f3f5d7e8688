"""Template helpers of the registry pages: masking, rates, and whether to draw the navigation."""

import json
from datetime import date, timedelta

from django import forms, template
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.accounts.middleware import needs_second_factor
from tongxin.core import masking

register = template.Library()


@register.filter
def age(birth_date: date | None) -> str:
    if birth_date is None:
        return "—"
    return _("%(n)s岁") % {"n": masking.age_on(birth_date, timezone.localdate())}


@register.filter
def mask_id_number(value: str | None) -> str:
    return masking.mask_id_number(value or "")


@register.filter
def mask_mobile(value: str | None) -> str:
    return masking.mask_mobile(value or "")


@register.filter
def mask_address(value: str | None) -> str:
    return masking.mask_address(value or "")


MASKERS = {
    "id_number": masking.mask_id_number,
    "mobile": masking.mask_mobile,
    "address": masking.mask_address,
}


@register.filter
def masked(value: str | None, field: str) -> str:
    return MASKERS[field](value or "")


@register.filter
def percent(rate: float | None) -> str:
    """0.6667 → 66.7%; no units at all is not 0%, it is "no data"."""
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}%"


@register.filter
def minutes(delta: timedelta | None) -> int:
    return int(delta.total_seconds() // 60) if delta else 0


@register.filter
def may_navigate(user: object) -> bool:
    """Draw the navigation only once the account may use it: a staff account that has not passed
    its second factor would be sent back to the code page by every link."""
    if not getattr(user, "is_authenticated", False):
        return False
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified()) or not needs_second_factor(user)


@register.simple_tag
def yes_no(value: bool) -> str:
    return _("是") if value else _("否")


@register.simple_tag(takes_context=True)
def page_query(context: template.Context, param: str, number: int) -> str:
    """The current query string with one page parameter changed: a page can hold several
    paginated lists, each with its own parameter, and the search terms must survive paging."""
    query = context["request"].GET.copy()
    query[param] = number
    return "?" + query.urlencode()


@register.filter
def nav_section(url_name: str | None) -> str:
    """territory_detail → territory: which navigation entry a page belongs to. Adding a member
    happens on an organisation's page, so it stays under 党组织."""
    if url_name == "member_add":
        return "org"
    if url_name == "member_upload":
        return "import"
    return (url_name or "").split("_", 1)[0]


@register.filter
def bs_widget(field: forms.BoundField) -> str:
    """Render a widget with Bootstrap's classes and the ARIA links a screen reader needs to read
    the error and the hint along with the field."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    else:
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    attrs: dict[str, str | bool] = {"class": css + (" is-invalid" if field.errors else "")}
    described = []
    if field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_error")
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.field.required or getattr(field.field, "mandatory", False):
        attrs["aria-required"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def get_item(mapping: dict, key: object) -> object:  # type: ignore[type-arg]
    return mapping.get(key, "")


@register.filter
def json_compact(value: object) -> str:
    """Audit details as one short line of JSON, Chinese kept readable."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


@register.inclusion_tag("registry/tree/_panel.html", takes_context=True)
def tree_panel(context: template.Context) -> dict[str, object]:
    """The left panel's two trees for the signed-in account; a page about a tree node passes it
    as `tree_current`, and the panel opens the path down to it."""
    from ..tree_panel import TREES, panel_for, search_example

    user = context["request"].user
    current = context.get("tree_current")
    return {
        "panels": [panel_for(user, tree, current) for tree in TREES.values()],
        "example": search_example(user),
    }


@register.simple_tag(takes_context=True)
def search_example(context: template.Context, tree: str) -> object:
    """An example for a tree's search box, from the account's own nodes (tree_panel.search_example)."""
    from ..tree_panel import TREES
    from ..tree_panel import search_example as example_for

    return example_for(context["request"].user, TREES[tree].model)


@register.inclusion_tag("registry/_sort_link.html", takes_context=True)
def sort_link(context: template.Context, key: str, label: str, param: str = "sort") -> dict[str, object]:
    """A column header that sorts by `key`; a second click reverses. Filters and search stay."""
    request = context["request"]
    current = context.get("sort")
    active = current is not None and current.key == key
    descending = bool(current is not None and active and not current.descending)
    query = request.GET.copy()
    query[param] = ("-" if descending else "") + key
    query.pop("page", None)
    return {
        "href": "?" + query.urlencode(),
        "label": label,
        "active": active,
        "descending": bool(current is not None and active and current.descending),
    }


@register.simple_tag(takes_context=True)
def export_filters(context: template.Context) -> list[tuple[str, str]]:
    from ..listing import filter_items

    return filter_items(context["request"])


@register.filter
def may_import_members(user: object) -> bool:
    """Whether to offer 导入党员: the same rule the import page applies (adding members to some
    roster), asked of the one policy module."""
    from tongxin.accounts.policies import Action, with_visible_rosters

    return with_visible_rosters(user, Action.CREATE).exists()
