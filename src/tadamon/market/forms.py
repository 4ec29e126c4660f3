"""Forms of the market: checkout (buyer), phone code, and the sellers' settings, stock and orders."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tadamon.programme.services import normalize_phone
from tadamon.registry.models import ProductUnit

from .models import Fulfilment, Seller
from .services import MAX_QUANTITY


class CheckoutForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    phone = forms.CharField(label=_("Your phone number"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}),
                            help_text=_("We send a code to check it, then the news of your order."))
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    note = forms.CharField(label=_("A note for the organizations (optional)"), max_length=300, required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        for group in groups:
            organization = group["organization"]
            key = f"how_{organization.pk}"
            self.fields[key] = forms.ChoiceField(
                label=_("How do you get the order of %(org)s?") % {"org": organization.name},
                choices=[(k, f"{label} — {detail}" if detail else label) for k, label, detail in group["choices"]],
                initial=group["choices"][0][0], widget=forms.RadioSelect, required=False)
            address_key = f"address_{organization.pk}"
            if any(k == Fulfilment.DELIVERY for k, _label, _detail in group["choices"]):
                self.fields[address_key] = forms.CharField(label=_("Delivery address"), max_length=255,
                                                           required=False)
            self.groups.append({**group, "how": self[key],
                                "address": self[address_key] if address_key in self.fields else None})

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        if not 9 <= len(phone) <= 15:
            raise forms.ValidationError(_("Give a phone number the organization can call, e.g. 0612345678."))
        return phone

    def clean(self):
        data = super().clean()
        for group in self.groups:
            organization = group["organization"]
            if data.get(f"how_{organization.pk}") == Fulfilment.DELIVERY and not data.get(
                    f"address_{organization.pk}", "").strip():
                self.add_error(f"address_{organization.pk}", _("Give the delivery address."))
        return data

    def fulfilments(self):
        """The way chosen for each organization; none chosen: the first offered (the stand during a fair)."""
        return {g["organization"].pk: self.cleaned_data.get(f"how_{g['organization'].pk}") or g["choices"][0][0]
                for g in self.groups}

    def addresses(self):
        return {g["organization"].pk: self.cleaned_data.get(f"address_{g['organization'].pk}", "")
                for g in self.groups}


class PhoneCodeForm(forms.Form):
    code = forms.CharField(label=_("The code received by text message"), max_length=8,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "dir": "ltr"}))


class AddForm(forms.Form):
    offer = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, initial=1)


class SellerForm(forms.ModelForm):
    class Meta:
        model = Seller
        fields = ["is_open", "pickup_address", "pickup_hours", "delivers", "delivery_note"]


class OfferForm(forms.Form):
    price = forms.DecimalField(label=_("Price (MAD)"), min_value=0.01, max_digits=10, decimal_places=2)
    unit = forms.ChoiceField(label=_("Unit"), choices=ProductUnit.choices)
    stock = forms.IntegerField(label=_("Stock"), min_value=0, max_value=1_000_000)
    is_listed = forms.BooleanField(label=_("On sale"), required=False)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Pickup code"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "dir": "ltr"}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the order cancelled?"), max_length=300)


class HandOverForm(forms.Form):
    cash = forms.BooleanField(label=_("Cash received"), required=False, initial=True)
