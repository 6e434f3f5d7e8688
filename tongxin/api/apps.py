from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tongxin.api"
    default_auto_field = "django.db.models.BigAutoField"
