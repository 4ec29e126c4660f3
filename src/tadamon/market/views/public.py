"""The public side of the market: the catalogue, the basket, the checkout with a phone code (or an
account), and the buyer's own order page reached with its signed link.

Visitors have no region scope: reads run with ``scopes_disabled()`` and filter on what is on sale.
"""


import segno
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from tadamon.core.decorators import public
from tadamon.registry.views.public import format_price, paginate

from .. import basket, services
from ..catalogue import CatalogueFilterForm, on_sale
from ..catalogue import offers as search_offers
from ..forms import AddForm, CheckoutForm, PhoneCodeForm
from ..models import Order

CHECKOUT_KEY = "market_checkout"
VERIFIED_KEY = "market_phone_verified"
ORDERS_KEY = "market_orders"


def _decorate(offers):
    for offer in offers:
        offer.price_label = format_price(offer.price)
        photos = list(offer.product.photos.all())
        offer.first_photo = photos[0] if photos else None
    return offers


@public
def catalogue(request):
    data = request.GET.copy()
    data.pop("page", None)
    form = CatalogueFilterForm(data)
    form.is_valid()
    query = form.cleaned_data.get("q", "")
    filters = form.filters()
    page = paginate(request, lambda limit, offset: search_offers(query, filters, limit, offset))
    _decorate(page.object_list)
    active = sum(1 for k, v in form.cleaned_data.items() if k != "q" and v not in (None, "", False))
    return render(request, "market/public/catalogue.html", {
        "form": form, "page": page, "offers": page.object_list, "total": page.paginator.count,
        "query": data.urlencode(), "searching": bool(query), "active_filters": active,
        "basket_count": basket.count(request),
    })


@public
@require_POST
def basket_add(request):
    form = AddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a quantity from 1 to %(n)s.") % {"n": services.MAX_QUANTITY})
        return redirect("market:catalogue")
    with scopes_disabled():
        offer = on_sale().select_related("product").filter(pk=form.cleaned_data["offer"]).first()
    if offer is None:
        messages.error(request, _("This product is no longer on sale."))
        return redirect("market:catalogue")
    if form.cleaned_data["quantity"] > offer.stock:
        messages.error(request, _("Only %(n)s of “%(p)s” left.") % {"n": offer.stock, "p": offer.product.name})
    else:
        basket.add(request, offer, form.cleaned_data["quantity"])
        messages.success(request, _("“%(p)s” is in your basket.") % {"p": offer.product.name})
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return HttpResponseRedirect(target)  # an address, never a view's name ("next=0" is not one)
    return redirect("market:catalogue")


def _basket_context(request):
    groups, lines, total, changed = basket.basket_lines(request)
    for group in groups:
        group["total_label"] = format_price(group["total"])
        for line in group["lines"]:
            line["price_label"] = format_price(line["price"])
            line["seen_label"] = format_price(line["seen_price"])
            line["amount_label"] = format_price(line["amount"])
    return {"groups": groups, "lines": lines, "total": total, "total_label": format_price(total),
            "changed": changed, "short": any(line["short"] for g in groups for line in g["lines"])}


@public
def basket_page(request):
    return render(request, "market/public/basket.html", _basket_context(request))


@public
@require_POST
def basket_update(request):
    if "accept_prices" in request.POST:
        basket.accept_prices(request)
        messages.success(request, _("The new prices are accepted."))
        return redirect("market:basket")
    for key, value in request.POST.items():
        if key.startswith("q-") and key[2:].isdigit():
            try:
                quantity = int(value)
            except ValueError:
                messages.error(request, _("Choose a quantity from 1 to %(n)s.") % {"n": services.MAX_QUANTITY})
                return redirect("market:basket")
            basket.set_quantity(request, int(key[2:]), quantity)
    remove = request.POST.get("remove", "")
    if remove.isdigit():
        basket.set_quantity(request, int(remove), 0)
    messages.success(request, _("Your basket is updated."))
    return redirect("market:basket")


def _checkout_groups(request, groups):
    from tadamon.registry.models import Organization

    with scopes_disabled():
        organizations = Organization.objects.select_related("market_seller").in_bulk([
            g["organization"].pk for g in groups])
    return [{**g, "choices": services.fulfilment_choices(organizations[g["organization"].pk],
                                                         getattr(organizations[g["organization"].pk],
                                                                 "market_seller", None))} for g in groups]


def _place(request, state):
    """Place the basket with the buyer's details kept in ``state``; where to go next."""
    try:
        orders = services.place_orders(
            basket.to_place(request), name=state["name"], phone=state["phone"], email=state.get("email", ""),
            user=request.user,
            fulfilments={int(k): v for k, v in state["fulfilments"].items()},
            delivery_addresses={int(k): v for k, v in state["addresses"].items()}, note=state.get("note", ""),
            checkout_key=state["key"], language=request.LANGUAGE_CODE, request=request)
    except services.MarketError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("market:basket")
    basket.clear(request)
    request.session.pop(CHECKOUT_KEY, None)
    new = [o.pk for o in orders]
    kept = [pk for pk in request.session.get(ORDERS_KEY, []) if pk not in new]
    request.session[ORDERS_KEY] = [*kept, *new][-30:]
    messages.success(request, _("Thank you! Your order is sent to the organization, which will confirm it."))
    if len(orders) == 1:
        return redirect("market:order", token=services.order_token(orders[0]))
    return redirect("market:my_orders")


@public
def checkout(request):
    context = _basket_context(request)
    if not context["lines"]:
        messages.info(request, _("Your basket is empty."))
        return redirect("market:catalogue")
    groups = _checkout_groups(request, context["groups"])
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.get_full_name(), "phone": request.user.phone, "email": request.user.email}
    form = CheckoutForm(request.POST or None, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        if context["changed"]:
            messages.error(request, _("A price changed since you put the product in your basket: check the new "
                                      "prices and accept them to order."))
            return redirect("market:basket")
        data = form.cleaned_data
        state = {"key": request.session.get(CHECKOUT_KEY, {}).get("key") or basket.checkout_key(request),
                 "name": data["name"], "phone": data["phone"], "email": data.get("email", ""),
                 "note": data.get("note", ""), "fulfilments": {str(k): v for k, v in form.fulfilments().items()},
                 "addresses": {str(k): v for k, v in form.addresses().items()}}
        request.session[CHECKOUT_KEY] = state
        if request.user.is_authenticated or request.session.get(VERIFIED_KEY) == services.phone_fingerprint(
                data["phone"]):
            return _place(request, state)
        try:
            services.send_phone_code(data["phone"])
        except services.MarketError as error:
            if error.kind != "wait":
                form.add_error("phone", error.messages[0])
                return render(request, "market/public/checkout.html", {**context, "form": form}, status=400)
            messages.info(request, error.messages[0])
        return redirect("market:checkout_verify")
    return render(request, "market/public/checkout.html", {**context, "form": form},
                  status=400 if request.method == "POST" else 200)


@public
def checkout_verify(request):
    state = request.session.get(CHECKOUT_KEY)
    if not state:
        return redirect("market:basket")
    form = PhoneCodeForm(request.POST or None)
    if request.method == "POST" and "resend" in request.POST:
        try:
            services.send_phone_code(state["phone"])
            messages.success(request, _("A new code is sent."))
        except services.MarketError as error:
            messages.error(request, error.messages[0])
        return redirect("market:checkout_verify")
    if request.method == "POST" and form.is_valid():
        try:
            services.check_phone_code(state["phone"], form.cleaned_data["code"])
        except services.MarketError as error:
            form.add_error("code", error.messages[0])
        else:
            request.session[VERIFIED_KEY] = services.phone_fingerprint(state["phone"])
            return _place(request, state)
    return render(request, "market/public/verify.html", {"form": form, "phone": state["phone"]},
                  status=400 if request.method == "POST" else 200)


def _order_or_404(token):
    order = services.order_from_token(token)
    if order is None:
        raise Http404
    return order


@public
def order_page(request, token):
    order = _order_or_404(token)
    with scopes_disabled():
        lines = list(order.lines.all())
    for line in lines:
        line.amount_label = format_price(line.amount)
        line.price_label = format_price(line.unit_price)
    qr_svg, pickup_url = "", ""
    if order.fulfilment != "delivery" and order.status in (Order.Status.CONFIRMED, Order.Status.READY,
                                                           Order.Status.PLACED):
        pickup_url = request.build_absolute_uri(reverse("market:pickup", args=[order.pickup_code]))
        qr_svg = segno.make(pickup_url, error="m").svg_inline(scale=6, dark="#134a36", title=order.grouped_code)
    proposed = []
    if order.proposed_total is not None:
        proposed = [(line, int(order.proposed_lines.get(str(line.pk), line.quantity))) for line in lines]
    return render(request, "market/public/order.html", {
        "order": order, "lines": lines, "token": token, "qr_svg": qr_svg, "total_label": format_price(order.total),
        "proposed": proposed, "proposed_label": format_price(order.proposed_total) if proposed else "",
        "can_cancel": order.status in (Order.Status.PLACED, Order.Status.CONFIRMED),
    })


@public
@require_POST
def order_cancel(request, token):
    order = _order_or_404(token)
    try:
        services.cancel(request.user, order, by_buyer=True, reason=str(_("Cancelled by the buyer.")),
                        request=request)
        messages.success(request, _("Your order is cancelled."))
    except services.MarketError as error:
        messages.error(request, error.messages[0])
    return redirect("market:order", token=token)


@public
@require_POST
def order_answer(request, token):
    order = _order_or_404(token)
    try:
        services.answer_change(order, accept=request.POST.get("answer") == "accept", request=request)
        messages.success(request, _("Your answer is sent to the organization."))
    except services.MarketError as error:
        messages.error(request, error.messages[0])
    return redirect("market:order", token=token)


@public
def my_orders(request):
    """The orders placed from this browser, and those of the signed-in buyer."""
    kept = request.session.get(ORDERS_KEY, [])
    with scopes_disabled():
        orders = Order.objects.select_related("organization")
        if request.user.is_authenticated:
            from django.db.models import Q

            orders = orders.filter(Q(pk__in=kept) | Q(buyer=request.user))
        else:
            orders = orders.filter(pk__in=kept)
        orders = list(orders.order_by("-created_at", "-pk")[:50])
    for order in orders:
        order.token = services.order_token(order)
        order.total_label = format_price(order.total)
    return render(request, "market/public/my_orders.html", {"orders": orders})


urlpatterns = [
    path("market/", catalogue, name="catalogue"),
    path("market/basket/", basket_page, name="basket"),
    path("market/basket/add/", basket_add, name="basket_add"),
    path("market/basket/update/", basket_update, name="basket_update"),
    path("market/checkout/", checkout, name="checkout"),
    path("market/checkout/code/", checkout_verify, name="checkout_verify"),
    path("market/orders/", my_orders, name="my_orders"),
    path("market/orders/<str:token>/", order_page, name="order"),
    path("market/orders/<str:token>/cancel/", order_cancel, name="order_cancel"),
    path("market/orders/<str:token>/answer/", order_answer, name="order_answer"),
]
