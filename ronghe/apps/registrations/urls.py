from django.urls import path

from ronghe.apps.registrations import views

app_name = "registrations"
urlpatterns = [
    path("new/", views.register, name="register"),
    path("new/sent/", views.sent, name="sent"),
    path("", views.registration_list, name="list"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/approve/", views.approve, name="approve"),
    path("<id:pk>/reject/", views.reject, name="reject"),
]
