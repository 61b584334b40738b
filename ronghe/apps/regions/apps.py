from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "ronghe.apps.regions"
    label = "regions"
    verbose_name = "区域评估 Regional evaluations"

    def ready(self) -> None:
        from ronghe.apps.regions import jobs  # noqa: F401  (registers its kinds of background work)
