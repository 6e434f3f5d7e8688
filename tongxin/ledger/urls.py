from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("rules/", views.rules, name="rules"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("totals/", views.district_totals, name="district_totals"),
    path("persons/<int:pk>/", views.person_ledger, name="person_ledger"),
    path("m/", views.my_ledger, name="my_ledger"),
]
