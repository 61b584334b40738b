from django.urls import path

from ronghe.apps.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/v<small:version>/", views.detail, name="version"),
    path("<slug:slug>/template/", views.template, name="template"),
    path("<slug:slug>/v<small:version>/template/", views.template, name="version_template"),
]
