from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "ronghe.apps.organizations"
    label = "organizations"
    verbose_name = "组织 Organizations"
