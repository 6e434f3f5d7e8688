from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("second-factor/setup/", views.second_factor_setup, name="second_factor_setup"),
]
