from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the platform: the server with its workers (``serve``), backups (``export_data``,
    ``import_data``)."""

    name = "ronghe.apps.operations"
    label = "operations"
    verbose_name = "运维 Operations"
