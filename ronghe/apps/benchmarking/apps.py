from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    name = "ronghe.apps.benchmarking"
    label = "benchmarking"
    verbose_name = "对标与监测 Benchmarking and monitoring"

    def ready(self) -> None:
        from ronghe.apps.assessments.signals import assessment_scored
        from ronghe.apps.benchmarking import jobs, services  # noqa: F401  (jobs registers its background work)

        # the snapshot row is written in the approval's own transaction: both or neither
        assessment_scored.connect(services.on_scored, dispatch_uid="benchmarking.record_score")
