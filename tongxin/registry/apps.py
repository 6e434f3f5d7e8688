from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "tongxin.registry"
    label = "registry"
    verbose_name = "登记台账页面"
