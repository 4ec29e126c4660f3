"""Log-in throttling: too many failures for one e-mail or from one address lock further tries
for a while. Counters live in the cache (Redis in production, shared by all workers)."""

from django.conf import settings
from django.core.cache import cache


def _keys(email, ip):
    keys = []
    if email:
        keys.append(f"login-fail:email:{email.strip().lower()}")
    if ip:
        keys.append(f"login-fail:ip:{ip}")
    return keys


def is_locked(email, ip):
    limit = settings.TADAMON_LOGIN_MAX_FAILURES
    # An address is allowed more failures than one account: several people share an office.
    for key in _keys(email, ip):
        count = cache.get(key, 0)
        if count >= (limit * 4 if ":ip:" in key else limit):
            return True
    return False


def record_failure(email, ip):
    window = settings.TADAMON_LOGIN_WINDOW_SECONDS
    for key in _keys(email, ip):
        if cache.add(key, 1, window):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, window)


def reset(email, ip=None):
    for key in _keys(email, None):
        cache.delete(key)
