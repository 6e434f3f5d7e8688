from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "tongxin.territory"
    label = "territory"
    verbose_name = "属地"
