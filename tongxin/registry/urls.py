from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.home, name="home"),
    path("territory/", views.territory_list, name="territory_list"),
    path("territory/export/", views.territory_export, name="territory_export"),
    path("territory/<int:pk>/", views.territory_detail, name="territory_detail"),
    path("territory/<int:pk>/edit/", views.territory_edit_page, name="territory_edit"),
    path("orgs/", views.org_list, name="org_list"),
    path("orgs/export/", views.org_export, name="org_export"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
    path("orgs/<int:pk>/edit/", views.org_edit_page, name="org_edit"),
    path("orgs/<int:pk>/members/new/", views.member_add_page, name="member_add"),
    path("members/", views.member_list, name="member_list"),
    path("members/export/", views.member_export, name="member_export"),
    path("members/<int:pk>/edit/", views.member_edit_page, name="member_edit"),
    path("persons/", views.person_list, name="person_list"),
    path("persons/new/", views.person_create_page, name="person_create"),
    path("persons/export/", views.person_export, name="person_export"),
    path("persons/validate/", views.person_validate, name="person_validate"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", views.person_edit_page, name="person_edit"),
    path("persons/<int:pk>/reveal/<slug:field>/", views.person_reveal_field, name="person_reveal"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create_page, name="unit_create"),
    path("units/export/", views.unit_export, name="unit_export"),
    path("units/validate/", views.unit_validate, name="unit_validate"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit_page, name="unit_edit"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("tree/search/", views.tree_search_page, name="tree_search"),
    path("tree/<slug:tree>/<int:pk>/children/", views.tree_children, name="tree_children"),
]
