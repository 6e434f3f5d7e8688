from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from . import views
from .errors import error_body
from .needs import views as need_views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("territories", views.TerritoryViewSet, basename="territory")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("units", views.UnitViewSet, basename="unit")
router.register("persons", views.PersonViewSet, basename="person")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("need-categories", need_views.NeedCategoryViewSet, basename="need-category")
router.register("needs", need_views.NeedViewSet, basename="need")


class SchemaView(SpectacularAPIView):
    """The schema in Chinese whatever the browser asks for: its tags are fixed when the views are
    defined, and one document in one language is easier to compare between versions."""

    schema = None  # not an operation of the API itself

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with translation.override(settings.LANGUAGE_CODE):
            return super().get(request, *args, **kwargs)


@csrf_exempt  # it changes nothing, whatever the method
def not_found(request: HttpRequest, *args: object, **kwargs: object) -> JsonResponse:
    """Any other address under /api/: the API's 404 body, not the site's HTML page."""
    return JsonResponse(error_body("not_found"), status=404, json_dumps_params={"ensure_ascii": False})


urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    re_path(r"^.*$", not_found),
]
