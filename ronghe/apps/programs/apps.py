from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "ronghe.apps.programs"
    label = "programs"
    verbose_name = "试点示范 Pilot and demonstration programmes"
