from django.contrib.auth import views as auth_views
from django.urls import path

from ronghe.apps.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("invite/", views.invite, name="invite"),
    path("invite/<str:token>/", views.accept, name="accept"),
    path("tokens/", views.tokens, name="tokens"),
    path("me/", views.me, name="me"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("tokens/<id:pk>/revoke/", views.revoke_token, name="revoke_token"),
]
