from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.home, name="home"),
    path("territory/", views.territory_list, name="territory_list"),
    path("territory/<int:pk>/", views.territory_detail, name="territory_detail"),
    path("orgs/", views.org_list, name="org_list"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
    path("persons/", views.person_list, name="person_list"),
    path("persons/new/", views.person_create_page, name="person_create"),
    path("persons/export/", views.person_export, name="person_export"),
    path("persons/validate/", views.person_validate, name="person_validate"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/reveal/<slug:field>/", views.person_reveal_field, name="person_reveal"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create_page, name="unit_create"),
    path("units/export/", views.unit_export, name="unit_export"),
    path("units/validate/", views.unit_validate, name="unit_validate"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("audit/", views.audit_log, name="audit_log"),
]
