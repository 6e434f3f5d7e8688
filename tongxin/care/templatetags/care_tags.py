"""For the navigation (base.html, the phone home): how many care visits are overdue in the staff
member's scope, and how many of the member's own subjects are due or overdue. Counts only: no
name leaves the care pages."""

from typing import Any

from django import template
from django.utils import timezone

from .. import policies, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def care_overdue_count(context: Any) -> int:
    """Overdue subjects in the account's office scope (0 without one): the staff nav's badge."""
    user = context.get("user")
    if user is None or not policies.staff_roots(user):
        return 0
    return selectors.overdue_count(user, timezone.localdate())


@register.simple_tag(takes_context=True)
def care_my_due_count(context: Any) -> int:
    """The member's subjects due today or overdue: the phone home's badge on 我的走访."""
    user = context.get("user")
    if user is None or getattr(user, "person_id", None) is None:
        return 0
    today = timezone.localdate()
    return policies.visitor_subjects(user, today).filter(due_on__lte=today).count()
