from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "ronghe.apps.providers"
    label = "providers"
    verbose_name = "服务商 Service providers"
