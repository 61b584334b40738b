from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "ronghe.apps.registrations"
    label = "registrations"
    verbose_name = "企业注册 Enterprise registrations"
