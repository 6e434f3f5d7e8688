from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "tongxin.units"
    label = "units"
    verbose_name = "驻区单位"
