from django.apps import AppConfig


class MobileConfig(AppConfig):
    name = "tongxin.mobile"
    default_auto_field = "django.db.models.BigAutoField"
