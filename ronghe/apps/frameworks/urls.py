from django.urls import path

from ronghe.apps.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/v<small:version>/", views.detail, name="version"),
]
