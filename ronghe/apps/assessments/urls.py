from django.urls import path

from ronghe.apps.assessments import views

app_name = "assessments"
urlpatterns = [
    path("import/", views.import_file, name="import"),
    path("score/", views.score_file, name="score_file"),
    path("export/", views.export, name="export"),
    path("enterprise/<id:pk>/", views.enterprise_assessments, name="list"),
    path("<id:pk>/", views.edit, name="edit"),
    path("<id:pk>/review/", views.review, name="review"),
    path("<id:pk>/delete/", views.delete, name="delete"),
    path("<id:pk>/revise/", views.revise, name="revise"),
    path("<id:pk>/result/", views.result, name="result"),
]
