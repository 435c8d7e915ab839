from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "profinfo.organizations"
    verbose_name = "Организации"
