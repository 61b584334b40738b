from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "ronghe.apps.frameworks"
    label = "frameworks"
    verbose_name = "评估框架 Frameworks"
