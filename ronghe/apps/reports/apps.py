from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ronghe.apps.reports"
    label = "reports"
    verbose_name = "报告 Reports"

    def ready(self) -> None:
        from ronghe.apps.reports import jobs  # noqa: F401  (registers the batch of enterprise reports)
