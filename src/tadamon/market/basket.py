"""The basket lives in the visitor's session (no account needed): for each product on sale, the
quantity and the price the visitor saw when they put it in. A price that changed since is shown and
must be accepted before ordering."""

import uuid
from decimal import Decimal

from django_scopes import scopes_disabled

from .models import Offer
from .services import MAX_QUANTITY, BasketLine, money

SESSION_KEY = "market_basket"
KEY_KEY = "market_basket_key"


def _items(request):
    return request.session.get(SESSION_KEY, {})


def _save(request, items):
    request.session[SESSION_KEY] = items
    request.session.setdefault(KEY_KEY, uuid.uuid4().hex)
    request.session.modified = True


def checkout_key(request):
    """The key with which this basket is placed, made with the basket: "order" clicked twice, or sent
    again after the server died before answering, sends the same key, so the orders are placed once."""
    return request.session.setdefault(KEY_KEY, uuid.uuid4().hex)


def add(request, offer, quantity):
    items = _items(request)
    row = items.get(str(offer.pk))
    quantity = max(1, min(int(quantity), MAX_QUANTITY))
    if row is None:
        items[str(offer.pk)] = {"q": quantity, "p": str(offer.price)}
    else:
        row["q"] = min(row["q"] + quantity, MAX_QUANTITY)
    _save(request, items)


def set_quantity(request, offer_id, quantity):
    items = _items(request)
    if str(offer_id) not in items:
        return
    if quantity <= 0:
        items.pop(str(offer_id))
    else:
        items[str(offer_id)]["q"] = min(quantity, MAX_QUANTITY)
    _save(request, items)


def accept_prices(request):
    """The visitor accepts the current prices of everything in the basket."""
    items = _items(request)
    with scopes_disabled():
        prices = dict(Offer.objects.filter(pk__in=[int(k) for k in items]).values_list("pk", "price"))
    for key, row in items.items():
        if int(key) in prices:
            row["p"] = str(prices[int(key)])
    _save(request, items)


def clear(request):
    request.session.pop(SESSION_KEY, None)
    request.session.pop(KEY_KEY, None)


def count(request):
    return sum(row["q"] for row in _items(request).values())


def to_place(request):
    """The basket's lines for :func:`services.place_orders` (quantities and the prices seen)."""
    return [BasketLine(int(key), row["q"], money(row["p"])) for key, row in _items(request).items()]


def basket_lines(request):
    """What the basket page shows: groups per organization, each line with its current offer, the price
    seen and whether it changed; and the lines to send to :func:`services.place_orders`."""
    items = _items(request)
    with scopes_disabled():
        offers = {o.pk: o for o in Offer.objects.filter(pk__in=[int(k) for k in items]).select_related(
            "product", "organization").prefetch_related("product__photos")}
    groups, to_place, total, changed = {}, [], Decimal("0"), False
    for key, row in items.items():
        offer = offers.get(int(key))
        if offer is None:
            continue
        seen = money(row["p"])
        line = {"offer": offer, "quantity": row["q"], "seen_price": seen, "price": offer.price,
                "changed": seen != offer.price, "amount": offer.price * row["q"], "short": row["q"] > offer.stock,
                "photo": next(iter(offer.product.photos.all()), None)}
        changed = changed or line["changed"]
        group = groups.setdefault(offer.organization_id, {"organization": offer.organization, "lines": [],
                                                          "total": Decimal("0")})
        group["lines"].append(line)
        group["total"] += line["amount"]
        total += line["amount"]
        to_place.append(BasketLine(offer.pk, row["q"], seen))
    return list(groups.values()), to_place, total, changed
