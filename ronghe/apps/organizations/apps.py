from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "ronghe.apps.organizations"
    label = "organizations"
    verbose_name = "组织 Organizations"

    def ready(self) -> None:
        from ronghe.apps.organizations import jobs  # noqa: F401  (registers its kinds of background work)
