"""The sellers' space, made for a phone: orders to confirm, today's pickups, stock updates, the market
settings, each order with its actions, and the check of pickup codes at the stand (the QR code on the
buyer's phone opens :func:`pickup`).

Every view needs a signed-in user (anonymous visitors are sent to log in) and ``market.sell`` on the
organization: its approved representatives, the staff of its region, national administrators. For
anyone else, another organization's page or order does not exist (404), whatever their role.
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from tadamon.core.decorators import login_required
from tadamon.core.text import posted_text
from tadamon.registry.models import Organization, Product
from tadamon.registry.views.public import format_price

from .. import services
from ..forms import CancelForm, CodeForm, HandOverForm, OfferForm, SellerForm
from ..models import Fulfilment, Offer, Order, Seller
from ..payments import PROVIDERS

S = Order.Status


def _organization(request, pk):
    with scopes_disabled():
        organization = get_object_or_404(Organization.objects.select_related("region"), pk=pk)
    if not request.user.has_perm("market.sell", organization):
        raise Http404
    return organization


def _order(request, pk):
    with scopes_disabled():
        order = get_object_or_404(Order.objects.select_related("organization", "edition"), pk=pk)
    if not request.user.has_perm("market.handle_order", order):
        raise Http404
    return order


def _labels(orders):
    for order in orders:
        order.total_label = format_price(order.total)
    return orders


@login_required
def sell_home(request):
    organizations = services.seller_organizations(request.user)
    if len(organizations) == 1:
        return redirect("market:sell_dashboard", pk=organizations[0].pk)
    return render(request, "market/sell/home.html", {"organizations": organizations})


def todays_pickups(organization, today=None):
    """Orders to hand over today: ready or confirmed orders to pick up at a stand whose fair is on today,
    and every ready order to pick up at the organization or to deliver."""
    today = today or timezone.localdate()
    with scopes_disabled():
        open_orders = Order.objects.filter(organization=organization, status__in=[S.CONFIRMED, S.READY])
        at_fair = Q(fulfilment=Fulfilment.STAND, edition__starts_on__lte=today, edition__ends_on__gte=today)
        return _labels(list(open_orders.filter(at_fair | Q(status=S.READY)).select_related("edition")
                            .prefetch_related("lines").order_by("created_at")))


@login_required
def dashboard(request, pk):
    organization = _organization(request, pk)
    with scopes_disabled():
        seller = Seller.objects.filter(organization=organization).first()
        to_confirm = _labels(list(Order.objects.filter(organization=organization, status=S.PLACED)
                                  .prefetch_related("lines").order_by("created_at")))
        counts = dict(Order.objects.filter(organization=organization).order_by().values_list("status")
                      .annotate(n=Count("pk")))
        low = list(Offer.objects.filter(organization=organization, is_listed=True, stock__lte=3)
                   .select_related("product").order_by("stock"))
    return render(request, "market/sell/dashboard.html", {
        "organization": organization, "seller": seller, "to_confirm": to_confirm,
        "pickups": todays_pickups(organization),
        "counts": [(key, label, counts[key]) for key, label in S.choices if counts.get(key)], "low": low,
        "code_form": CodeForm(), "stand": services.current_stand(organization),
    })


@login_required
def settings_page(request, pk):
    organization = _organization(request, pk)
    with scopes_disabled():
        seller = Seller.objects.filter(organization=organization).first()
        form = SellerForm(request.POST or None, instance=seller)
        if request.method == "POST" and form.is_valid():
            services.save_seller(request.user, organization, form.cleaned_data, request=request)
            messages.success(request, _("Saved."))
            return redirect("market:sell_dashboard", pk=organization.pk)
    return render(request, "market/sell/settings.html", {"organization": organization, "form": form,
                                                         "seller": seller})


@login_required
def stock(request, pk):
    """Every product of the organization, with its price, unit, stock and whether it is on sale: one small
    form per product, saved one at a time (a phone screen shows one row at a time anyway)."""
    organization = _organization(request, pk)
    with scopes_disabled():
        products = list(Product.objects.filter(organization=organization, is_active=True)
                        .select_related("market_offer").prefetch_related("photos").order_by("name_ar", "pk"))
        seller = Seller.objects.filter(organization=organization).first()
    errors = {}
    if request.method == "POST":
        product_id = request.POST.get("product", "")
        product = next((p for p in products if str(p.pk) == product_id), None)
        if product is None:
            raise Http404
        form = OfferForm(request.POST, prefix=f"p{product.pk}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_offer(request.user, product, price=data["price"], stock=data["stock"],
                                    unit=data["unit"], is_listed=data["is_listed"], request=request)
            except services.MarketError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("“%(p)s” is saved.") % {"p": product.name})
                return redirect(f"{request.path}#product-{product.pk}")
        errors[product.pk] = form
    rows = []
    for product in products:
        offer = getattr(product, "market_offer", None)
        initial = ({"price": offer.price, "unit": offer.unit, "stock": offer.stock, "is_listed": offer.is_listed}
                   if offer else {"price": product.price, "unit": product.unit, "stock": 0, "is_listed": True})
        form = errors.get(product.pk) or OfferForm(initial=initial, prefix=f"p{product.pk}")
        rows.append({"product": product, "offer": offer, "form": form,
                     "photo": next(iter(product.photos.all()), None)})
    return render(request, "market/sell/stock.html", {"organization": organization, "rows": rows, "seller": seller},
                  status=400 if errors else 200)


@login_required
def orders(request, pk):
    organization = _organization(request, pk)
    status = request.GET.get("status", "")
    with scopes_disabled():
        query = Order.objects.filter(organization=organization).prefetch_related("lines")
        if status in S.values:
            query = query.filter(status=status)
        rows = _labels(list(query.order_by("-created_at", "-pk")[:200]))
    return render(request, "market/sell/orders.html", {"organization": organization, "orders": rows,
                                                       "status": status, "statuses": S.choices})


def _order_context(order):
    with scopes_disabled():
        lines = list(order.lines.all())
        payments = list(order.payments.all())
    for line in lines:
        line.amount_label = format_price(line.amount)
        line.price_label = format_price(line.unit_price)
    for payment in payments:
        payment.amount_label = format_price(payment.amount)
        payment.method_label = PROVIDERS[payment.provider].label if payment.provider in PROVIDERS else payment.provider
    return {"order": order, "organization": order.organization, "lines": lines, "payments": payments,
            "total_label": format_price(order.total), "cancel_form": CancelForm(), "hand_form": HandOverForm(),
            "proposed_label": format_price(order.proposed_total) if order.proposed_total is not None else ""}


@login_required
def order_detail(request, pk):
    order = _order(request, pk)
    return render(request, "market/sell/order.html", _order_context(order))


@login_required
@require_POST
def order_action(request, pk):
    order = _order(request, pk)
    action = request.POST.get("action", "")
    try:
        if action == "confirm":
            services.confirm(request.user, order, request=request)
            messages.success(request, _("The order is confirmed: the buyer is told."))
        elif action == "ready":
            services.mark_ready(request.user, order, request=request)
            messages.success(request, _("The order is ready: the buyer is told."))
        elif action == "cancel":
            form = CancelForm(request.POST)
            if not form.is_valid():
                raise services.MarketError(_("Say why the order is cancelled: the buyer will read it."))
            services.cancel(request.user, order, reason=form.cleaned_data["reason"], request=request)
            messages.success(request, _("The order is cancelled; its quantities are back in stock."))
        elif action == "hand_over":
            form = HandOverForm(request.POST)
            form.is_valid()
            services.hand_over(request.user, order, cash=form.cleaned_data.get("cash", False), request=request)
            messages.success(request, _("Handed over. Thank you!"))
        elif action == "propose":
            quantities = {}
            for key, value in request.POST.items():
                if key.startswith("line-") and key[5:].isdigit():
                    try:
                        quantities[int(key[5:])] = int(value)
                    except ValueError:
                        raise services.MarketError(_("A change can only lower quantities."))
            services.propose_change(request.user, order, quantities,
                                    reason=posted_text(request, "reason", services.MarketError), request=request)
            messages.success(request, _("The change is sent to the buyer, who must accept it."))
        else:
            raise Http404
    except services.MarketError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("market:sell_order", pk=order.pk)


@login_required
@require_POST
def code_lookup(request, pk):
    """At the stand: the pickup code typed (when the camera cannot read the QR code)."""
    organization = _organization(request, pk)
    form = CodeForm(request.POST)
    order = services.find_by_code(form.data.get("code", "")) if form.is_valid() else None
    if order is None or order.organization_id != organization.pk:
        messages.error(request, _("Unknown code: it is not the code of an order of %(org)s.")
                       % {"org": organization.name})
        return redirect("market:sell_dashboard", pk=organization.pk)
    return redirect("market:pickup", code=order.pickup_code)


@login_required
def pickup(request, code):
    """The page the QR code of an order opens on the organization's phone: the order and one button to
    hand it over (cash recorded). A code used once is refused, clearly, every time after."""
    order = services.find_by_code(code)
    if order is None or not request.user.has_perm("market.handle_order", order):
        raise Http404
    if request.method == "POST":
        form = HandOverForm(request.POST)
        form.is_valid()
        try:
            services.hand_over(request.user, order, code=code, cash=form.cleaned_data.get("cash", False),
                               request=request)
        except services.MarketError as error:
            messages.error(request, error.messages[0])
            context = _order_context(order)
            return render(request, "market/sell/pickup.html", {**context, "refused": error.messages[0]},
                          status=409)
        messages.success(request, _("Handed over. Thank you!"))
        return redirect("market:pickup", code=order.pickup_code)
    with scopes_disabled():
        order.refresh_from_db()
    context = _order_context(order)
    refused = ""
    if order.status in (S.PICKED_UP, S.DELIVERED):
        refused = services.used_message(order)
    elif order.status == S.CANCELLED:
        refused = _("This order was cancelled: do not hand it over.")
    return render(request, "market/sell/pickup.html", {**context, "refused": refused})


urlpatterns = [
    path("market/sell/", sell_home, name="sell_home"),
    path("market/sell/<int:pk>/", dashboard, name="sell_dashboard"),
    path("market/sell/<int:pk>/settings/", settings_page, name="sell_settings"),
    path("market/sell/<int:pk>/stock/", stock, name="sell_stock"),
    path("market/sell/<int:pk>/orders/", orders, name="sell_orders"),
    path("market/sell/<int:pk>/code/", code_lookup, name="sell_code"),
    path("market/sell/orders/<int:pk>/", order_detail, name="sell_order"),
    path("market/sell/orders/<int:pk>/action/", order_action, name="sell_order_action"),
    path("market/pickup/<str:code>/", pickup, name="pickup"),
]
