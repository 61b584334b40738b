from django.contrib import admin
from django.urls import include, path, register_converter

from ronghe import views
from ronghe.api import api
from ronghe.converters import IdConverter, SmallConverter

register_converter(IdConverter, "id")
register_converter(SmallConverter, "small")

urlpatterns = [
    path("", views.home, name="home"),
    path("frameworks/", include("ronghe.apps.frameworks.urls")),
    path("enterprises/", include("ronghe.apps.organizations.urls")),
    path("accounts/", include("ronghe.apps.accounts.urls")),
    path("assessments/", include("ronghe.apps.assessments.urls")),
    path("regions/", include("ronghe.apps.regions.urls")),
    path("benchmarking/", include("ronghe.apps.benchmarking.urls")),
    path("certification/", include("ronghe.apps.certification.urls")),
    path("programs/", include("ronghe.apps.programs.urls")),
    path("providers/", include("ronghe.apps.providers.urls")),
    path("registrations/", include("ronghe.apps.registrations.urls")),
    path("reports/", include("ronghe.apps.reports.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("jobs/", include("ronghe.apps.jobs.urls")),
    path("notifications/", include("ronghe.apps.notifications.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
