"""Sign-up, e-mail verification, log-in throttling, password reset, profile, second factor."""

import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tadamon.accounts.models import User
from tadamon.accounts.tokens import SALT

from ..conftest import PASSWORD

SIGNUP = {
    "first_name": "فاطمة", "last_name": "الزهراء", "email": "Fatima@Example.ma", "phone": "0612345678",
    "preferred_language": "ar", "password1": "argan-oil-2026", "password2": "argan-oil-2026",
}


def _link(message):
    return re.search(r"https?://[^\s\"]+/accounts/verify/[^\s\"/]+/", message.body).group(0)


def test_signup_sends_verification_and_verifying_enables_login(client, db):
    response = client.post("/ar/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="fatima@example.ma")
    assert user.phone == "0612345678" and not user.email_verified
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["fatima@example.ma"]
    # Not verified yet: log-in refused with a message.
    response = client.post("/ar/accounts/login/", {"email": "fatima@example.ma", "password": SIGNUP["password1"]})
    assert response.status_code == 400 and "_auth_user_id" not in client.session
    link = _link(mail.outbox[0])
    assert "/ar/accounts/verify/" in link
    response = client.get(link.split("testserver")[1])
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified
    response = client.post("/ar/accounts/login/", {"email": "FATIMA@example.ma", "password": SIGNUP["password1"]})
    assert response.status_code == 302 and response["Location"] == "/ar/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_verification_email_in_users_language(client, db):
    client.post("/ar/accounts/signup/", {**SIGNUP, "preferred_language": "fr"})
    assert "/fr/accounts/verify/" in mail.outbox[0].body


def test_double_signup_creates_one_account(client, db):
    client.post("/ar/accounts/signup/", SIGNUP)
    response = client.post("/ar/accounts/signup/", SIGNUP)
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert User.objects.filter(email="fatima@example.ma").count() == 1


@pytest.mark.parametrize("field,value", [
    ("email", "not-an-email"), ("phone", "abc"), ("password2", "different-pass-1"), ("password1", "1234567890"),
    ("first_name", ""),
])
def test_signup_bad_input_changes_nothing(client, db, field, value):
    data = {**SIGNUP, field: value}
    if field == "password1":
        data["password2"] = value
    response = client.post("/ar/accounts/signup/", data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.exists()
    assert not mail.outbox


def test_expired_verification_link(client, make_user, settings):
    user = make_user("late@example.ma", verified=False)
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=SALT, compress=True)
    settings.TADAMON_VERIFICATION_MAX_AGE = -1
    response = client.get(f"/ar/accounts/verify/{token}/")
    assert response.status_code == 400 and response.context["expired"] is True
    user.refresh_from_db()
    assert not user.email_verified


def test_forged_verification_link(client, db):
    response = client.get("/ar/accounts/verify/forged-token/")
    assert response.status_code == 400 and response.context["expired"] is False


def test_resend_verification_does_not_reveal_accounts(client, make_user):
    make_user("waiting@example.ma", verified=False)
    a = client.post("/ar/accounts/verify-again/", {"email": "waiting@example.ma"})
    b = client.post("/ar/accounts/verify-again/", {"email": "nobody@example.ma"})
    assert a.status_code == b.status_code == 302
    assert len(mail.outbox) == 1


def test_login_wrong_password_message_and_lockout(client, make_user, settings):
    settings.TADAMON_LOGIN_MAX_FAILURES = 3
    make_user("target@example.ma")
    for _ in range(3):
        response = client.post("/ar/accounts/login/", {"email": "target@example.ma", "password": "wrong-one"})
        assert response.status_code == 400
        assert response.context["form"].non_field_errors()
    # Locked now: even the right password is refused, with its own message.
    response = client.post("/ar/accounts/login/", {"email": "target@example.ma", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account from another address is not affected.
    other = Client(REMOTE_ADDR="10.0.0.9")
    make_user("other@example.ma")
    assert other.post("/ar/accounts/login/", {"email": "other@example.ma", "password": PASSWORD}).status_code == 302


def test_lockout_is_logged(client, make_user, settings):
    from django_scopes import scopes_disabled

    from tadamon.core.models import ActivityLog

    settings.TADAMON_LOGIN_MAX_FAILURES = 2
    make_user("target2@example.ma")
    for _ in range(2):
        client.post("/ar/accounts/login/", {"email": "target2@example.ma", "password": "nope-nope"})
    with scopes_disabled():
        assert ActivityLog.objects.filter(action="account.login_locked", actor_label="target2@example.ma").exists()


def test_login_redirects_to_preferred_language(client, make_user):
    make_user("francophone@example.ma", language="fr")
    response = client.post("/ar/accounts/login/", {"email": "francophone@example.ma", "password": PASSWORD})
    assert response["Location"] == "/fr/"


def test_login_ignores_foreign_next(client, make_user):
    make_user("n@example.ma")
    response = client.post("/ar/accounts/login/?next=https://evil.example/",
                           {"email": "n@example.ma", "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/ar/"


def test_forged_csrf_is_refused_with_a_clear_page(make_user):
    make_user("csrf@example.ma")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/ar/accounts/login/", {"email": "csrf@example.ma", "password": PASSWORD,
                                                   "csrfmiddlewaretoken": "forged"})
    assert response.status_code == 403
    assert 'dir="rtl"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_flow(client, make_user):
    user = make_user("reset@example.ma", language="fr")
    client.post("/ar/accounts/password/reset/", {"email": "reset@example.ma"})
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/]+(/\S+/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    assert path.startswith("/fr/")
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "new-argan-pass-9", "new_password2": "new-argan-pass-9"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("new-argan-pass-9")


def test_password_reset_expired_link(client, make_user):
    make_user("old@example.ma")
    response = client.get("/ar/accounts/password/reset/MQ/set-password/", follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_profile_edit_and_validation(client, plain_user):
    client.force_login(plain_user)
    response = client.post("/ar/accounts/profile/", {"first_name": "Amina", "last_name": "B", "phone": "bad",
                                                     "preferred_language": "fr"})
    assert response.status_code == 200 and response.context["form"].errors
    plain_user.refresh_from_db()
    assert plain_user.preferred_language == "ar"
    response = client.post("/ar/accounts/profile/", {"first_name": "Amina", "last_name": "B",
                                                     "phone": "+212 612345678", "preferred_language": "fr"})
    assert response["Location"] == "/fr/accounts/profile/"


def test_profile_needs_login(client, db):
    assert client.get("/ar/accounts/profile/").status_code == 302


def _current_token(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_staff_must_set_up_second_factor_when_required(client, fes_staff, settings):
    settings.TADAMON_STAFF_REQUIRE_2FA = True
    client.force_login(fes_staff)
    response = client.get(reverse("core:activity_list"))
    assert response.status_code == 302 and "/accounts/2fa/setup/" in response["Location"]
    page = client.get("/ar/accounts/2fa/setup/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=fes_staff, confirmed=False)
    assert client.post("/ar/accounts/2fa/setup/", {"token": "000000" if _current_token(device) != "000000"
                                                   else "111111"}).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    response = client.post("/ar/accounts/2fa/setup/", {"token": _current_token(device)})
    assert response.status_code == 302
    assert client.get(reverse("core:activity_list")).status_code == 200


def test_staff_with_device_is_asked_for_code_at_next_login(client, fes_staff, settings):
    settings.TADAMON_STAFF_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=fes_staff, name="app", confirmed=True)
    client.post("/ar/accounts/login/", {"email": fes_staff.email, "password": PASSWORD})
    response = client.get(reverse("core:activity_list"))
    assert "/accounts/2fa/" in response["Location"] and "setup" not in response["Location"]
    bad = client.post("/ar/accounts/2fa/", {"token": "12ab56"})
    assert bad.status_code == 200 and bad.context["form"].errors
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    client.post("/ar/accounts/2fa/", {"token": _current_token(device)})
    assert client.get(reverse("core:activity_list")).status_code == 200


def test_non_staff_never_asked_for_second_factor(client, plain_user, settings):
    settings.TADAMON_STAFF_REQUIRE_2FA = True
    client.force_login(plain_user)
    assert client.get("/ar/accounts/profile/").status_code == 200
