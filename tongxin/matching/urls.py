from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("needs/<int:pk>/", views.need_helpers, name="need_helpers"),
    path("batch/", views.batch, name="batch"),
    path("me/", views.my_profile, name="my_profile"),
]
