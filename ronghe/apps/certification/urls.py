from django.urls import path

from ronghe.apps.certification import views

app_name = "certification"
urlpatterns = [
    path("", views.home, name="home"),
    path("verify/", views.verify, name="verify"),
    path("enterprise/<id:pk>/", views.enterprise_projects, name="enterprise"),
    path("projects/<id:pk>/", views.project, name="project"),
    path("projects/<id:pk>/milestones/", views.milestone, name="milestone"),
    path("projects/<id:pk>/clauses/", views.clauses, name="clauses"),
    path("projects/<id:pk>/evidence/", views.upload_evidence, name="upload_evidence"),
    path("projects/<id:pk>/apply/", views.apply, name="apply"),
    path("evidence/<id:pk>/", views.evidence_file, name="evidence_file"),
    path("cases/<id:pk>/", views.case, name="case"),
    path("cases/<id:pk>/audit/", views.audit, name="audit"),
    path("cases/<id:pk>/transition/", views.transition, name="transition"),
    path("cases/<id:pk>/assign/", views.assign, name="assign"),
    path("cases/<id:pk>/findings/", views.raise_finding, name="raise_finding"),
    path("findings/<id:pk>/", views.finding, name="finding"),
    path("certificates/", views.certificates, name="certificates"),
    path("certificates/export/", views.export, name="export"),
    path("certificates/<id:pk>/", views.certificate, name="certificate"),
    path("certificates/<id:pk>/transition/", views.certificate_transition, name="certificate_transition"),
    path("figures/", views.figures, name="figures"),
]
