"""Who may configure points rules and adjust balances."""

from typing import Any

from django.db.models import Q, QuerySet

from tongxin.accounts.models import Role
from tongxin.accounts.policies import OFFICE, TERRITORY, Action, grant_roots, roles_of
from tongxin.core.trees import is_within, subtree_q
from tongxin.people.models import Person
from tongxin.territory.models import Territory, TerritoryLevel

from .models import PointsRule


def _district_roots(user: Any) -> list[str]:
    return grant_roots(user, tree=TERRITORY, roles={Role.DISTRICT_ADMIN}, action=Action.CHANGE)


def is_rules_admin(user: Any) -> bool:
    """District admins configure their district's rules (and the platform-wide ones, which the
    district runs); system admins configure all."""
    return Role.SYSTEM_ADMIN in roles_of(user) or bool(_district_roots(user))


def rules_for(user: Any) -> QuerySet[PointsRule]:
    if Role.SYSTEM_ADMIN in roles_of(user):
        return PointsRule.objects.all()
    roots = _district_roots(user)
    if not roots:
        return PointsRule.objects.none()
    return PointsRule.objects.filter(Q(territory__isnull=True) | subtree_q(roots, field="territory__path"))


def may_configure_rule(user: Any, rule: PointsRule) -> bool:
    if Role.SYSTEM_ADMIN in roles_of(user):
        return True
    roots = _district_roots(user)
    if not roots:
        return False
    return rule.territory is None or is_within(rule.territory.path, roots)


def districts_for(user: Any) -> QuerySet[Territory]:
    """The districts whose monthly totals the account may see."""
    if Role.SYSTEM_ADMIN in roles_of(user):
        return Territory.objects.filter(level=TerritoryLevel.DISTRICT)
    roots = _district_roots(user)
    return Territory.objects.filter(subtree_q(roots), level=TerritoryLevel.DISTRICT)


def may_adjust(user: Any, person: Person) -> bool:
    """District, street and community staff whose territory covers where the person lives may
    correct her points or time credits by hand (and the system: demo data, commands). Never
    their own balance; a unit's contact, who may change the unit's members' records, may not
    hand them points."""
    if user is None:
        return True
    home = person.residence
    if getattr(user, "person_id", None) == person.pk or home is None:
        return False
    return is_within(home.path, grant_roots(user, tree=TERRITORY, roles=OFFICE, action=Action.CHANGE))
