"""Sign-up with e-mail verification, log-in with throttling, profile, password reset, and the
second factor (TOTP) that staff can be required to use."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.core import signing
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy, translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tadamon.core import activity
from tadamon.core.decorators import login_required, public

from . import personal_data, throttle
from .emails import send_verification
from .forms import (
    EraseAccountForm,
    LocalizedPasswordResetForm,
    LoginForm,
    ProfileForm,
    ResendVerificationForm,
    SignupForm,
    TokenForm,
)
from .models import User
from .tokens import read_token


def _client_ip(request):
    return request.META.get("REMOTE_ADDR", "")


@public
def signup(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = SignupForm(request.POST or None, initial={"preferred_language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            activity.record(user, "account.signed_up", user, request=request)
        send_verification(user, request)
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


@public
def signup_done(request):
    return render(request, "accounts/signup_done.html")


@public
def verify_email(request, token):
    try:
        user_id, email = read_token(token)
    except signing.SignatureExpired:
        return render(request, "accounts/verify_failed.html",
                      {"expired": True, "form": ResendVerificationForm()}, status=400)
    except signing.BadSignature:
        return render(request, "accounts/verify_failed.html",
                      {"expired": False, "form": ResendVerificationForm()}, status=400)
    user = User.objects.filter(pk=user_id, email__iexact=email).first()
    if user is None:
        return render(request, "accounts/verify_failed.html",
                      {"expired": False, "form": ResendVerificationForm()}, status=400)
    if not user.email_verified:
        with transaction.atomic():
            user.email_verified = True
            user.save(update_fields=["email_verified"])
            activity.record(user, "account.email_verified", user, request=request)
    messages.success(request, _("Your e-mail address is verified. You can log in."))
    return redirect("accounts:login")


@public
def resend_verification(request):
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"], email_verified=False,
                                   is_active=True).first()
        if user is not None:
            send_verification(user, request)
        # The same answer whether or not the address is known: nothing to learn here.
        messages.success(request, _("If this address has an account that is not verified yet, "
                                    "a new link is on its way. Check your inbox."))
        return redirect("accounts:login")
    return render(request, "accounts/resend.html", {"form": form})


def _after_login_url(request, user):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = ""
    target = target or reverse(settings.LOGIN_REDIRECT_URL)
    return translate_url(target, user.preferred_language)


@public
def login_view(request):
    form = LoginForm(request.POST or None)
    locked = False
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        ip = _client_ip(request)
        if throttle.is_locked(email, ip):
            locked = True
            form.add_error(None, _("Too many failed attempts. For your safety, log-in is paused for "
                                   "15 minutes. You can reset your password meanwhile."))
        else:
            user = authenticate(request, username=email, password=form.cleaned_data["password"])
            if user is None:
                throttle.record_failure(email, ip)
                if throttle.is_locked(email, ip):
                    target = User.objects.filter(email__iexact=email).first()
                    activity.record(email, "account.login_locked", target, request=request)
                form.add_error(None, _("The e-mail address or the password is wrong. Check both and try again."))
            elif not user.email_verified:
                form.add_error(None, _("Please verify your e-mail address first: open the link we sent you. "
                                       "No e-mail? Ask for a new link below."))
            else:
                throttle.reset(email)
                login(request, user)
                response = HttpResponseRedirect(_after_login_url(request, user))  # an address, not a view name
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.preferred_language,
                                    max_age=settings.LANGUAGE_COOKIE_AGE, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                                    secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False))
                return response
    status = 429 if locked else (400 if request.method == "POST" else 200)
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")},
                  status=status)


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        fields = list(form.changed_data)
        before = {f: str(form.initial.get(f, "")) for f in fields}
        with transaction.atomic():
            user = form.save()
            activity.record(request.user, "account.profile_changed", user, before=before,
                            after={f: str(getattr(user, f)) for f in fields}, request=request)
        messages.success(request, _("Your profile is saved."))
        return redirect(translate_url(reverse("accounts:profile"), user.preferred_language))
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    return render(request, "accounts/profile.html", {"form": form, "devices": devices})


@login_required
def second_factor_setup(request):
    """Add an authenticator app: scan the QR code, type the code it shows."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("token", _("Too many wrong codes. Wait a minute, then type the new code."))
        elif device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                activity.record(request.user, "account.second_factor_added", request.user, request=request)
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect("core:home")
        else:
            form.add_error("token", _("This code is not right. Check the time on your phone and type the new code."))
    import segno

    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1d3b2f")
    return render(request, "accounts/second_factor_setup.html",
                  {"form": form, "qr_svg": qr_svg, "secret": device.bin_key.hex()})


@login_required
def second_factor_verify(request):
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect("accounts:second_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not any(d.verify_is_allowed()[0] for d in devices):
        form.add_error("token", _("Too many wrong codes. Wait a minute, then type the new code."))
    elif request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                next_url = request.GET.get("next", "")
                if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                    next_url = reverse("core:home")
                return HttpResponseRedirect(next_url)
        form.add_error("token", _("This code is not right. Type the code your app shows now."))
    return render(request, "accounts/second_factor_verify.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    form_class = LocalizedPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        activity.record(form.user, "account.password_reset", form.user, request=self.request)
        throttle.reset(form.user.email)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password is changed."))
        return super().form_valid(form)


@login_required
def my_data(request):
    """What Tadamon holds about me (law 09-08): a summary, the download, and erasure."""
    data = personal_data.collect(request.user)
    form = EraseAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        personal_data.erase(request.user, request=request)
        logout(request)
        messages.success(request, _("Your account has been erased. Thank you for having used Tadamon."))
        return redirect("core:home")
    summary = [(personal_data.kind_label(key), len(rows)) for key, rows in sorted(data["records"].items())]
    return render(request, "accounts/my_data.html", {"summary": summary, "form": form})


@login_required
def my_data_download(request):
    """The person's data as a ZIP: data.json and the files they uploaded."""
    archive = personal_data.export_zip(request.user)
    activity.record(request.user, "account.data_downloaded", request.user, request=request)
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="tadamon-my-data-{request.user.pk}.zip"'
    response["Cache-Control"] = "no-store"
    return response
