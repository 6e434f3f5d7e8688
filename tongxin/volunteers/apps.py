from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "tongxin.volunteers"
    label = "volunteers"
    verbose_name = _("志愿者与服务队")

    def ready(self) -> None:
        # Registered volunteers join the party members who claim residents' needs.
        from tongxin.needs.policies import claim_places_register

        from .policies import claim_places

        claim_places_register(claim_places)
