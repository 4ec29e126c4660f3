"""Staff must prove a second factor when TADAMON_STAFF_REQUIRE_2FA is on (production default)."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from tadamon.core import roles


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.TADAMON_STAFF_REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()
            and roles.is_staff_member(user)
            and not self._exempt(request.path_info)
        ):
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                target = reverse("accounts:second_factor_verify")
            else:
                target = reverse("accounts:second_factor_setup")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path):
        allowed = ("/accounts/2fa", "/accounts/logout", "/static/", "/i18n/")
        stripped = path.split("/", 2)[-1] if path.count("/") > 1 else path
        return any(path.startswith(p) or ("/" + stripped).startswith(p) for p in allowed)
