from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("territories", views.TerritoryViewSet, basename="territory")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("units", views.UnitViewSet, basename="unit")
router.register("persons", views.PersonViewSet, basename="person")
router.register("memberships", views.MembershipViewSet, basename="membership")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
