from django.urls import path

from ronghe.apps.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.enterprise_list, name="enterprises"),
    path("<int:pk>/", views.enterprise_detail, name="enterprise"),
    path("<int:pk>/access/", views.change_access, name="access"),
]
