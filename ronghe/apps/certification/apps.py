from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "ronghe.apps.certification"
    label = "certification"
    verbose_name = "贯标与评定 Adoption and certification"

    def ready(self):
        from ronghe.apps.certification import jobs  # noqa: F401  (registers the daily run as a scheduled job)
