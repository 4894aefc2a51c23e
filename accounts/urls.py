from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

# Sign-in and sign-out keep their top-level names ("login", "logout") and paths.
login_urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]

app_name = "accounts"
urlpatterns = [
    path("", views.security, name="security"),
    path("two-step/setup/", views.otp_setup, name="otp-setup"),
    path("two-step/verify/", views.otp_verify, name="otp-verify"),
    path("two-step/remove/", views.otp_remove, name="otp-remove"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path(
        "password/",
        views.PasswordChangeView.as_view(template_name="registration/password_change_form.html"),
        name="password-change",
    ),
]
