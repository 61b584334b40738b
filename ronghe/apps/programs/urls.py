from django.urls import path

from ronghe.apps.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.calls, name="calls"),
    path("new/", views.new_call, name="new_call"),
    path("<id:pk>/", views.call, name="call"),
    path("<id:pk>/edit/", views.edit_call, name="edit_call"),
    path("<id:pk>/transition/", views.call_transition, name="call_transition"),
    path("<id:pk>/quota/", views.quota, name="quota"),
    path("<id:pk>/declare/", views.declare, name="declare"),
    path("<id:pk>/panel/", views.panel, name="panel"),
    path("<id:pk>/results/", views.results, name="results"),
    path("declarations/<id:pk>/", views.declaration, name="declaration"),
    path("declarations/<id:pk>/materials/", views.upload_material, name="upload_material"),
    path("declarations/<id:pk>/transition/", views.declaration_transition, name="declaration_transition"),
    path("materials/<id:pk>/", views.material_file, name="material_file"),
    path("experts/", views.experts, name="experts"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<id:pk>/", views.score, name="score"),
    path("figures/", views.figures, name="figures"),
    path("export/", views.export, name="export"),
]
