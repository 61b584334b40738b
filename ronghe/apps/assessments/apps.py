from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "ronghe.apps.assessments"
    label = "assessments"
    verbose_name = "自评估 Assessments"
