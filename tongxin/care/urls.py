from django.urls import path

from . import views

app_name = "care"
urlpatterns = [
    path("", views.subject_list, name="subject_list"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("export/", views.subject_export, name="subject_export"),
    path("coverage/", views.coverage, name="coverage"),
    path("new/", views.subject_new, name="subject_new"),
    path("persons/", views.person_search, name="person_search"),
    path("<int:pk>/", views.subject_detail, name="subject_detail"),
    path("<int:pk>/edit/", views.subject_edit, name="subject_edit"),
    path("<int:pk>/close/", views.subject_close, name="subject_close"),
    path("<int:pk>/visit/", views.visit_new, name="visit_new"),
    path("<int:pk>/assign/", views.subject_assign, name="subject_assign"),
    path("<int:pk>/assign/search/", views.visitor_search, name="visitor_search"),
    path("<int:pk>/assign/<int:assignment_pk>/end/", views.assignment_end, name="assignment_end"),
    path("m/", views.my_visits, name="my_visits"),
    path("m/history/", views.my_history, name="my_history"),
    path("m/<int:pk>/", views.my_subject, name="my_subject"),
    path("m/<int:pk>/call/", views.my_call, name="my_call"),
]
