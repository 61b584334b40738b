from django.urls import path

from ronghe.apps.assessments import views

app_name = "assessments"
urlpatterns = [
    path("import/", views.import_file, name="import"),
    path("enterprise/<int:pk>/", views.enterprise_assessments, name="list"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/revise/", views.revise, name="revise"),
    path("<int:pk>/result/", views.result, name="result"),
]
