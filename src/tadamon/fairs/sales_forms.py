"""Forms of the fair's operations: the exhibitor's daily sales, visitor counts and incidents."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .sales_models import Incident

#: Products listed on the sales form (the exhibitor's first ones): enough for a stand, short on a phone.
MAX_PRODUCT_LINES = 12


def _day_choices(days):
    return [(d.isoformat(), d.isoformat()) for d in reversed(days)]


class SalesForm(forms.Form):
    day = forms.ChoiceField(label=_("Day"))
    amount = forms.DecimalField(label=_("Total sold this day (MAD)"), max_digits=12, decimal_places=2,
                                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    confirm = forms.BooleanField(label=_("I confirm this amount"), required=False)
    client_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, days, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = _day_choices(days)
        self.fields["client_key"].initial = uuid.uuid4().hex
        self.products = list(products)[:MAX_PRODUCT_LINES]
        for product in self.products:
            self.fields[f"q_{product.pk}"] = forms.IntegerField(
                label=_("%(product)s: quantity sold") % {"product": product.name}, required=False, min_value=0,
                max_value=100000, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    def lines(self):
        out = []
        for product in self.products:
            quantity = self.cleaned_data.get(f"q_{product.pk}") or 0
            if quantity:
                out.append({"product": product.pk, "name": product.name_ar or product.name_fr, "quantity": quantity})
        return out


class VisitorCountForm(forms.Form):
    day = forms.ChoiceField(label=_("Day"))
    gate = forms.CharField(label=_("Gate"), max_length=40, initial=_("Main gate"))
    hour = forms.IntegerField(label=_("Hour (0–23)"), min_value=0, max_value=23)
    count = forms.IntegerField(label=_("Visitors who came in during this hour"), min_value=0)

    def __init__(self, *args, days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = _day_choices(days)


class VisitorCorrectionForm(forms.Form):
    count = forms.IntegerField(label=_("Right count"), min_value=0)
    reason = forms.CharField(label=_("Why is it corrected?"), max_length=300)


class IncidentForm(forms.Form):
    day = forms.ChoiceField(label=_("Day"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Incident.Kind.choices)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = _day_choices(days)
