from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "tongxin.needs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The needs' SMS templates join the SMS table in every process, also in a task worker
        # that delivers a queued message without ever importing the needs services.
        from . import notify  # noqa: F401
