from django.contrib.auth import views as auth_views
from django.urls import path

from tadamon.core.decorators import login_required, public

from . import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup_done"),
    path("verify/<str:token>/", views.verify_email, name="verify"),
    path("verify-again/", views.resend_verification, name="resend_verification"),
    path("login/", views.login_view, name="login"),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("password/", login_required(views.PasswordChangeView.as_view()), name="password_change"),
    path("password/reset/", public(views.PasswordResetView.as_view()), name="password_reset"),
    path("password/reset/sent/", public(auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html")), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", public(views.PasswordResetConfirmView.as_view()),
         name="password_reset_confirm"),
    path("password/reset/complete/", public(auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html")), name="password_reset_complete"),
    path("2fa/setup/", views.second_factor_setup, name="second_factor_setup"),
    path("2fa/", views.second_factor_verify, name="second_factor_verify"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/tadamon-my-data.zip", views.my_data_download, name="my_data_download"),
]
