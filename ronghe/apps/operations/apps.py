from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the platform: the server with its workers (``serve``), backups (``export_data``,
    ``import_data``)."""

    name = "ronghe.apps.operations"
    label = "operations"
    verbose_name = "运维 Operations"

    def ready(self) -> None:
        from ronghe import pagecache

        pagecache.connect()  # cached parts of pages are retired when what they show is saved
