"""Signed, expiring e-mail verification links: no table, nothing to clean up."""

from django.conf import settings
from django.core import signing

SALT = "tadamon.accounts.verify-email"


def make_token(user):
    return signing.dumps({"u": user.pk, "e": user.email}, salt=SALT, compress=True)


def read_token(token):
    """Returns (user_id, email), or raises signing.SignatureExpired / signing.BadSignature."""
    data = signing.loads(token, salt=SALT, max_age=settings.TADAMON_VERIFICATION_MAX_AGE)
    return data["u"], data["e"]
