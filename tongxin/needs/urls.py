from django.urls import path

from . import views

app_name = "needs"
urlpatterns = [
    path("public/<int:community_id>/", views.public_month_view, name="public_month"),
]
