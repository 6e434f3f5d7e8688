from django.urls import path

from . import views

app_name = "volunteers"
urlpatterns = [
    path("m/register/", views.m_register, name="m_register"),
    path("", views.volunteer_list, name="list"),
    path("export/", views.volunteer_export, name="export"),
    path("register/", views.volunteer_register_staff, name="register"),
    path("persons/", views.person_search_view, name="person_search"),
    path("<int:pk>/", views.volunteer_detail, name="detail"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create_page, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/members/add/", views.team_member_add_view, name="team_member_add"),
    path(
        "teams/<int:pk>/members/<int:volunteer_pk>/remove/",
        views.team_member_remove_view,
        name="team_member_remove",
    ),
]
