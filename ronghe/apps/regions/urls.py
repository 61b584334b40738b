from django.urls import path

from ronghe.apps.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("run/", views.run, name="run"),
    path("template.xlsx", views.template, name="template"),
    path("sample.csv", views.sample, name="sample"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/publish/", views.publish, name="publish"),
    path("<id:pk>/export.xlsx", views.export, name="export"),
    path("<id:pk>/runs.parquet", views.runs, name="runs"),
]
