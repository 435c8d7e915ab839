from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "profinfo.web"
    verbose_name = "Веб-интерфейс"

    def ready(self):
        from profinfo.caching import invalidate_on_change
        from profinfo.monitoring.models import Observation
        from profinfo.organizations.models import Membership, Organization
        from profinfo.registry.models import Resource

        invalidate_on_change(Organization, Membership, Resource, Observation)
