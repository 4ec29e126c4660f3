"""The permission matrix: every URL × every role × own region / other region / anonymous.

Generated from the URL configuration (see matrix.py): a view added tomorrow is in it, and a view
that does not say who may use it (``tadamon.core.decorators``) fails it. The expectations follow
the declaration:

- ``public``: nobody gets a server error.
- every other view: anonymous visitors are sent to log in (GET and POST).
- ``login``: a signed-in user with no role and no organization, and a representative looking at
  another region's object, are refused (403/404) unless the view is open to every signed-in user
  on any object (OPEN_TO_SIGNED_IN below, each one a reviewed decision).
- a permission: users without it get 403; users with it who hold no role in the object's region
  get 403/404 (Marrakech-Safi's staff see nothing of Fès-Meknès that is not public).

GET and an empty POST are both tried where a refusal is expected: a refused write changes nothing.
The whole matrix is one test so that the demo world is loaded once (a few seconds).
"""

import logging
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from tadamon.core.models import Role

from .matrix import PK_STRIDE, give_each_table_its_own_numbers, kwarg_candidates, our_routes, region_of

#: Views a signed-in user may open on any object of their kind, whoever they are: the public
#: object's page behind a log-in (claiming an organization, applying to an open call, registering
#: for a session, applying for a prize or a support programme's cohort, supporting a proposal,
#: opening a jury invitation whose token is the key). Each was reviewed; the view itself checks the
#: rest (one claim per user, an application needs an organization the user represents, a full
#: session refuses, one support per person, an invitation is accepted only with its own address).
OPEN_TO_SIGNED_IN = {
    "registry:claim",
    "fairs:apply",
    "programme:register",
    "prizes:apply",
    "prizes:invitation",
    "support:apply",
    "consult:support",
}

#: A refusal: forbidden, not found (another region's object), or a method the view does not take.
DENIED = {403, 404, 405}


def _is_login_redirect(response):
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


class Matrix:
    def __init__(self, users, fes, marrakech):
        self.clients = {}
        for key, user in users.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            self.clients[key] = client
        self.users = users
        self.regions = {"own": fes.pk, "other": marrakech.pk}
        self.failures = []
        self.requests = 0
        self.probes = 0
        self.unreached = []

    def call(self, who, method, url):
        self.requests += 1
        try:
            response = getattr(self.clients[who], method)(url)
        except Exception as error:  # a server error: the test client re-raises it
            self.failures.append(f"{method.upper()} {url} as {who}: server error {error!r}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {url} as {who}: {response.status_code}")
            return None
        return response

    def find(self, route, region):
        """Arguments naming objects of ``region`` that the national administrator can open."""
        for kwargs, objects in kwarg_candidates(route, region):
            url = reverse(route.name, kwargs=kwargs)
            self.probes += 1
            response = self.call("national_admin", "get", url)
            if response is not None and response.status_code != 404:
                regions = [r for r in (region_of(o) for o in objects) if r]
                return url, (regions[0] if regions else None)
        return None, None

    def targets(self, route):
        """(url, region of its objects) to try: one URL without arguments, else one per region."""
        if not route.converters:
            return [(reverse(route.name), None)]
        found = {}
        for side, region in self.regions.items():
            with scopes_disabled():
                url, object_region = self.find(route, region)
            if url is None and side == "own":
                with scopes_disabled():
                    url, object_region = self.find(route, None)
            if url is not None:
                found[url] = object_region
        if not found:
            # No object of the demo world opens it: still, the decorator must refuse anonymous
            # visitors and users without the permission before looking anything up.
            self.unreached.append(route.route)
            dummy = {k: (PK_STRIDE - 1 if c == "int" else "unknown") for k, c in route.converters.items()}
            found[reverse(route.name, kwargs=dummy)] = None
        return list(found.items())

    def holds_role_in(self, who, region):
        from tadamon.core import roles

        user = self.users[who]
        return roles.is_national_admin(user) or region in roles.regions_for(user)

    def expect(self, who, url, allowed, allowed_write, why):
        for method, codes in (("get", allowed), ("post", allowed_write)):
            response = self.call(who, method, url)
            if response is not None and response.status_code not in codes:
                self.failures.append(f"LEAK {method.upper()} {url} as {who}: {response.status_code} ({why})")

    def check(self, route):
        access = route.access
        if access is None:
            self.failures.append(f"{route.route} ({route.name}) does not declare who may use it")
            return
        for url, region in self.targets(route):
            if access == "public":
                self.call("anonymous", "get", url)
                continue
            response = self.call("anonymous", "get", url)
            if response is not None and not _is_login_redirect(response):
                self.failures.append(f"LEAK GET {url} as anonymous: {response.status_code}, not sent to log in")
            response = self.call("anonymous", "post", url)
            if response is not None and not _is_login_redirect(response):
                self.failures.append(f"LEAK POST {url} as anonymous: {response.status_code}, not sent to log in")
            for who, user in self.users.items():
                if user is None or who == "national_admin":
                    continue
                if access == "login":
                    stranger = who == "plain_user" or (who == "fes_representative" and region == self.regions["other"])
                    if route.converters and stranger and route.name not in OPEN_TO_SIGNED_IN:
                        self.expect(who, url, DENIED | {302}, DENIED, "another user's object")
                elif not user.has_perm(access):
                    self.expect(who, url, {403, 405}, {403}, f"lacks {access}")
                elif region is not None and not self.holds_role_in(who, region):
                    self.expect(who, url, DENIED, DENIED, "object of a region where the user has no role")


def make_representative(make_user, fes):
    from tadamon.registry.models import Organization, Representation

    user = make_user("representative.fes@example.ma")
    with scopes_disabled():
        organization = Organization.objects.filter(region=fes, is_active=True).order_by("pk").last()
        Representation.objects.create(user=user, organization=organization, status=Representation.Status.APPROVED)
    return user


@pytest.mark.django_db
@pytest.mark.urls("tests.security.urls_plain_errors")
def test_every_url_every_role_every_region(national_admin, fes_staff, marrakech_staff, fes_partner, fes_juror,
                                           fes_trainer, plain_user, fes, marrakech, make_user):
    from tadamon.core.demo import load_demo_accounts
    from tadamon.core.signals import demo_loaders

    started = time.perf_counter()
    give_each_table_its_own_numbers()
    load_demo_accounts()
    for loader in demo_loaders:
        loader()
    representative = make_representative(make_user, fes)
    users = {
        "anonymous": None, "national_admin": national_admin, "fes_staff": fes_staff,
        "marrakech_staff": marrakech_staff, "fes_partner": fes_partner, "fes_juror": fes_juror,
        "fes_trainer": fes_trainer, "fes_representative": representative, "plain_user": plain_user,
    }
    assert Role.REGIONAL_STAFF in {a.role for a in fes_staff.role_assignments.all()}
    loaded = time.perf_counter()
    matrix = Matrix(users, fes, marrakech)
    routes = our_routes()
    quiet = logging.getLogger("django.request")
    level, quiet.level = quiet.level, logging.CRITICAL  # thousands of expected 403s and 404s
    try:
        with translation.override("ar"):
            for route in routes:
                matrix.check(route)
    finally:
        quiet.setLevel(level)
    print(f"\npermission matrix: {len(routes)} URLs, {matrix.requests} requests ({matrix.probes} to find objects), "
          f"world {loaded - started:.1f} s, matrix {time.perf_counter() - loaded:.1f} s; "
          f"{len(matrix.unreached)} without a reachable object: {matrix.unreached}")
    print("\n".join(matrix.failures))
    assert matrix.failures == [], "\n".join(matrix.failures)
    assert len(routes) > 50
