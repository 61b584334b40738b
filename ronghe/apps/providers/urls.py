from django.urls import path

from ronghe.apps.providers import views

app_name = "providers"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<id:pk>/", views.provider, name="provider"),
    path("manage/", views.manage, name="manage"),
    path("offerings/new/", views.offering, name="new_offering"),
    path("offerings/<id:pk>/", views.offering, name="offering"),
    path("offerings/<id:pk>/request/", views.send, name="send"),
    path("matches/<id:pk>/", views.matches, name="matches"),
    path("requests/", views.requests, name="requests"),
    path("requests/<id:pk>/", views.service_request, name="request"),
    path("requests/<id:pk>/transition/", views.request_transition, name="request_transition"),
    path("coverage/", views.coverage, name="coverage"),
]
