"""Settings for the test suite: the real settings with fast password hashing and captured mail."""

import os

os.environ.setdefault("TADAMON_ENV", "test")

from tadamon.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
TADAMON_SMS_BACKEND = "tadamon.core.sms.LocmemBackend"
