from django.urls import path

from . import views

app_name = "mobile"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
    path("login/", views.login_number, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
]
