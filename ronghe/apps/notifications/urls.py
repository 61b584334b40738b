from django.urls import path

from ronghe.apps.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<id:pk>/open/", views.open_notification, name="open"),
]
