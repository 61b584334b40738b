from django.urls import path

from ronghe.apps.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.enterprise_list, name="enterprises"),
    path("<id:pk>/", views.enterprise_detail, name="enterprise"),
    path("<id:pk>/access/", views.change_access, name="access"),
]
