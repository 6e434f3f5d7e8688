from django.http import HttpRequest

from .models import Role
from .policies import can_view_audit, has_registry_role, roles_of


def roles(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    held = roles_of(user)
    return {
        "my_roles": [Role(r).label for r in sorted(held)],
        "may_view_audit": can_view_audit(user),
        "may_use_registry": has_registry_role(user),
    }
