from django.urls import path

from ronghe.apps.benchmarking import views

app_name = "benchmarking"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export, name="export"),
]
