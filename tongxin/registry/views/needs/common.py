"""What the needs pages share: finding a need the account may see, and the little navigation
between the queue, the entry form, the location view and the rates."""

from typing import Any

from django.utils.translation import gettext as _

from tongxin.accounts.models import Role
from tongxin.accounts.policies import TERRITORY, Action, grant_roots
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.core.trees import subtree_q
from tongxin.needs import policies
from tongxin.needs.models import Need
from tongxin.needs.selectors import need_list_for_scope
from tongxin.territory.models import Territory

NOT_FOUND = "未找到该诉求,或您无权查看。"


def need_or_404(user: Any, pk: int) -> Need:
    """A need the account may see, with what its pages show; otherwise the ordinary 404."""
    need = (
        need_list_for_scope(user)
        .select_related(
            "person",
            "submitted_by",
            "assigned_territory",
            "assigned_org",
            "assigned_unit",
            "assigned_person",
            "escalated_to",
            "merged_into",
        )
        .filter(pk=pk)
        .first()
    )
    if need is None:
        raise NotFoundOrForbidden(_(NOT_FOUND))
    return need


def entry_communities(user: Any) -> Any:
    """Where the account may enter needs on others' behalf: staff and grid workers' communities."""
    roots = grant_roots(user, tree=TERRITORY, roles=policies.OFFICE | {Role.GRID_WORKER}, action=Action.VIEW)
    if not roots:
        return Territory.objects.none()
    return Territory.objects.filter(subtree_q(roots), level__in=policies.COMMUNITY_LEVELS).order_by("path")


def is_dispatcher(user: Any) -> bool:
    return bool(policies.staff_roots(user, Action.VIEW))
