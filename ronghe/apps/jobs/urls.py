from django.urls import path

from ronghe.apps.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/status/", views.status, name="status"),
    path("<id:pk>/cancel/", views.cancel, name="cancel"),
    path("<id:pk>/retry/", views.retry, name="retry"),
    path("<id:pk>/output/", views.output, name="output"),
]
