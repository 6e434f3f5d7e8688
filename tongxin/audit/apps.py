from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tongxin.audit"
    label = "audit"
    verbose_name = "审计"
