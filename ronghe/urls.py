from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from ronghe.api import api
from ronghe.converters import IdConverter, SmallConverter

register_converter(IdConverter, "id")
register_converter(SmallConverter, "small")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="frameworks:catalogue", permanent=False), name="home"),
    path("frameworks/", include("ronghe.apps.frameworks.urls")),
    path("enterprises/", include("ronghe.apps.organizations.urls")),
    path("accounts/", include("ronghe.apps.accounts.urls")),
    path("assessments/", include("ronghe.apps.assessments.urls")),
    path("regions/", include("ronghe.apps.regions.urls")),
    path("benchmarking/", include("ronghe.apps.benchmarking.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
