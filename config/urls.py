from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("accounts/", include("tongxin.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("imports/", include("tongxin.imports.urls")),
    path("m/", include("tongxin.mobile.urls")),
    path("needs/", include("tongxin.needs.urls")),
    path("matching/", include("tongxin.matching.urls")),
    path("ledger/", include("tongxin.ledger.urls")),
    path("volunteers/", include("tongxin.volunteers.urls")),
    path("records/", include("tongxin.records.urls")),
    path("activities/", include("tongxin.activities.urls")),
    path("rewards/", include("tongxin.rewards.urls")),
    path("care/", include("tongxin.care.urls")),
    path("windows/", include("tongxin.windows.urls")),
    path("api/", include("tongxin.api.urls")),
    path("", include("tongxin.registry.urls")),
]

handler404 = "tongxin.registry.views.not_found"
