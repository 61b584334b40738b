from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "ronghe.apps.assessments"
    label = "assessments"
    verbose_name = "自评估 Assessments"

    def ready(self) -> None:
        from ronghe.apps.assessments import jobs  # noqa: F401  (registers its kinds of background work)
