from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tongxin.accounts.models import Role
from tongxin.accounts.policies import has_registry_role, roles_of

from ..access import registry_page
from ..overview import overview_for
from .common import paginate


@registry_page
def home(request: HttpRequest) -> HttpResponse:
    if not has_registry_role(request.user):
        # Administrators (三员分立) and members without a registry role see no registry rows;
        # their home page says what they can do instead of showing empty counters.
        held = roles_of(request.user)
        context: dict[str, object] = {"operator": bool(held & {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN})}
        return render(request, "registry/home_limited.html", context)
    overview = overview_for(request.user)
    context = {
        "overview": overview,
        "warnings": paginate(request, overview.warnings, param="wpage", per_page=10),
    }
    return render(request, "registry/home.html", context)
