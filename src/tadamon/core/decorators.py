"""Every view states who may use it with one of these decorators."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404


def public(view):
    """Anyone, signed in or not, may use this view."""
    view.tadamon_access = "public"
    return view


def login_required(view):
    """Any signed-in user."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.tadamon_access = "login"
    return wrapper


def permission_required(perm):
    """A signed-in user holding ``perm`` (a django-rules permission, checked without an object).

    Anonymous users are sent to log in; signed-in users without the permission get 403.
    Region-owned objects are then read through scoped managers, so another region's object is
    a 404.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.tadamon_access = perm
        return wrapper

    return decorator


def refuse(request, region_id):
    """Refuse an object of ``region_id``: 403 for someone who works in that region (or everywhere),
    404 for everybody else (another region's object does not exist for them)."""
    from . import roles

    user = request.user
    if roles.is_national_admin(user) or region_id in roles.regions_for(user):
        raise PermissionDenied
    raise Http404
