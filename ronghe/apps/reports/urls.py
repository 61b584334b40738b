from django.urls import path

from ronghe.apps.reports import views

app_name = "reports"
urlpatterns = [
    path("enterprise/<id:pk>/", views.enterprise, name="enterprise"),
    path("enterprise/<id:pk>/pdf/", views.enterprise_pdf, name="enterprise_pdf"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("monitoring/pdf/", views.monitoring_pdf, name="monitoring_pdf"),
    path("region/<id:pk>/", views.region, name="region"),
    path("region/<id:pk>/pdf/", views.region_pdf, name="region_pdf"),
    path("batch/", views.batch, name="batch"),
]
