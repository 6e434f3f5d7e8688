from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tongxin.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from . import auth_events  # noqa: F401 - connects the login audit receivers
