"""Forms of the registry: the representatives' organization, product and claim forms, and the staff's
decision forms.

The model forms here only validate: views hand ``cleaned_data`` to :mod:`tadamon.registry.services`,
which write. Uploaded pictures and documents go through :mod:`tadamon.core.images` (re-encoded,
EXIF removed, size and pixel limits) before anything is stored.
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from tadamon.accounts.models import phone_validator
from tadamon.core.images import MAX_UPLOAD_BYTES, clean_document, clean_image
from tadamon.core.models import Province

from .models import Organization, Product, Sector

#: Pictures one product may have.
MAX_PHOTOS = 8
LIMIT_MB = round(MAX_UPLOAD_BYTES / 1048576)

ORGANIZATION_FORM_FIELDS = [
    "legal_form", "name_ar", "name_fr", "registration_number", "created_on", "province", "commune", "address",
    "sector", "activities", "members_total", "members_women", "members_youth", "women_led", "leader_name",
    "phone", "email", "website", "facebook", "instagram", "description_ar", "description_fr",
]
PRODUCT_FORM_FIELDS = [
    "name_ar", "name_fr", "category", "price", "unit", "sanitary_authorization", "terroir_label",
    "origin_label", "description_ar", "description_fr",
]


def _arabic(attrs=None):
    return {"dir": "rtl", "lang": "ar", **(attrs or {})}


def _latin(attrs=None):
    return {"dir": "ltr", "lang": "fr", **(attrs or {})}


class ValidateOnlyModelForm(forms.ModelForm):
    """A model form that validates its fields and never touches its instance.

    Django's model validation would copy the values onto the instance (the services compare
    before and after, so the instance must stay as stored) and would check the model's
    constraints through the region-scoped manager; the forms below check what matters across
    every region in ``clean()`` instead.
    """

    def _post_clean(self):
        pass


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultiplePicturesField(forms.FileField):
    """Several pictures at once (a phone's gallery lets people pick more than one)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _clean_picture(uploaded, **kwargs):
    """clean_image, with the file's name in the message when there are several."""
    try:
        return clean_image(uploaded, **kwargs)
    except ValidationError as error:
        raise ValidationError(
            _("%(name)s: %(problem)s") % {"name": getattr(uploaded, "name", ""), "problem": " ".join(error.messages)},
            code=error.code or "invalid")


def _link_field(name, placeholder):
    """A link field that adds "https://" when people type "facebook.com/…"."""
    model_field = Organization._meta.get_field(name)
    return forms.URLField(label=capfirst(model_field.verbose_name), required=False, max_length=model_field.max_length,
                          assume_scheme="https",
                          widget=forms.URLInput(attrs={"dir": "ltr", "placeholder": placeholder}))


class OrganizationForm(ValidateOnlyModelForm):
    """Register or edit an organization, from a phone: short labels, the right keyboards, one column."""

    website = _link_field("website", "https://")
    facebook = _link_field("facebook", "https://facebook.com/…")
    instagram = _link_field("instagram", "https://instagram.com/…")

    role_in_organization = forms.CharField(
        label=_("Your role in the organization"), max_length=100, required=False,
        help_text=_("For example: president, treasurer, member of the board."))

    class Meta:
        model = Organization
        fields = [*ORGANIZATION_FORM_FIELDS, "logo"]
        widgets = {
            "name_ar": forms.TextInput(attrs=_arabic()),
            "name_fr": forms.TextInput(attrs=_latin()),
            "registration_number": forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
            "created_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "activities": forms.Textarea(attrs={"rows": 3}),
            "members_total": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "members_women": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "members_youth": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "phone": forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "dir": "ltr", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
            "description_ar": forms.Textarea(attrs=_arabic({"rows": 4})),
            "description_fr": forms.Textarea(attrs=_latin({"rows": 4})),
        }

    def __init__(self, *args, creating=False, region=None, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate = None
        if not creating:
            del self.fields["role_in_organization"]
        else:
            # Put it right after the names: people answer it while they think of the organization.
            order = list(self.fields)
            order.remove("role_in_organization")
            order.insert(order.index("registration_number"), "role_in_organization")
            self.order_fields(order)
        self.fields["logo"] = forms.FileField(
            label=_("Logo"), required=False,
            widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
            help_text=_("A JPEG or PNG picture, up to %(limit)s MB.") % {"limit": LIMIT_MB})
        if self.instance.pk and self.instance.logo:
            self.fields["logo"].initial = self.instance.logo
        self.fields["sector"].queryset = Sector.objects.all()
        self.fields["sector"].empty_label = _("Choose the sector")
        self.fields["phone"].validators.append(phone_validator)
        self.fields["registration_number"].help_text = _(
            "For a cooperative, its number at the Office for Cooperation Development (ODCO). Leave empty if "
            "you do not have it at hand.")
        self._group_provinces(provinces if provinces is not None else Province.objects.all(), region)

    def _group_provinces(self, provinces, region):
        """One <optgroup> per region, the region being looked at first: 75 provinces stay easy to find."""
        field = self.fields["province"]
        field.queryset = provinces
        groups = {}
        for province in provinces.select_related("region").order_by("region__code", "code"):
            groups.setdefault(province.region, []).append((province.pk, province.name))
        ordered = sorted(groups.items(), key=lambda item: (region is None or item[0].pk != region.pk, item[0].code))
        field.choices = [("", _("Choose the province or prefecture"))] + [
            (str(group_region.name), sorted(items, key=lambda choice: choice[1])) for group_region, items in ordered]

    def clean_registration_number(self):
        return " ".join((self.cleaned_data.get("registration_number") or "").split())

    def clean_created_on(self):
        value = self.cleaned_data.get("created_on")
        if value and value > date.today():
            raise ValidationError(_("The date of creation cannot be in the future."))
        return value

    def clean_logo(self):
        value = self.cleaned_data.get("logo")
        if value is False or value is None or isinstance(value, FieldFile):
            return value  # cleared, left empty, or unchanged
        return clean_image(value, max_side=800)

    def clean(self):
        data = super().clean()
        total, women, youth = data.get("members_total"), data.get("members_women"), data.get("members_youth")
        if total is None and (women or youth):
            self.add_error("members_total", _("Give the total number of members too."))
        if total is not None:
            if women is not None and women > total:
                self.add_error("members_women", _("There cannot be more women members than members in all."))
            if youth is not None and youth > total:
                self.add_error("members_youth", _("There cannot be more members under 35 than members in all."))
        if data.get("legal_form") and data.get("registration_number"):
            self.check_duplicate(data["legal_form"], data["registration_number"])
        return data

    def check_duplicate(self, legal_form=None, number=None):
        """Another organization with the same legal form and registration number (in any region)?

        Sets ``self.duplicate`` and adds a plain error that points to the claim form."""
        legal_form = legal_form or self.cleaned_data.get("legal_form") or self.data.get("legal_form")
        number = number or self.cleaned_data.get("registration_number") or self.data.get("registration_number")
        if not number:
            return None
        with scopes_disabled():
            others = Organization.objects.filter(legal_form=legal_form, registration_number=number)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            existing = others.select_related("province").first()
        if existing is None:
            return None
        self.duplicate = existing
        if self.instance.pk:
            message = _("Another organization already has this registration number: %(name)s. Check the number; "
                        "if it is the same organization, ask the regional team to merge them.")
        else:
            message = _("An organization with this legal form and registration number is already registered: "
                        "%(name)s. If you are one of its members, ask to represent it instead of registering it "
                        "again.")
        if "registration_number" not in self.errors:
            self.add_error("registration_number", message % {"name": existing.name})
        return existing

    def changes(self):
        """The cleaned values as the services expect them (a cleared logo becomes empty)."""
        data = {name: self.cleaned_data[name] for name in ORGANIZATION_FORM_FIELDS if name in self.cleaned_data}
        logo = self.cleaned_data.get("logo")
        if logo is False:
            data["logo"] = ""
        elif logo and not isinstance(logo, FieldFile):
            data["logo"] = logo
        if "role_in_organization" in self.cleaned_data:
            data["role_in_organization"] = self.cleaned_data["role_in_organization"]
        return data


class ProductForm(ValidateOnlyModelForm):
    price_on_request = forms.BooleanField(label=_("Price on request"), required=False)
    photos = MultiplePicturesField(label=_("Photos"), required=False)

    class Meta:
        model = Product
        fields = [*PRODUCT_FORM_FIELDS, "is_active"]
        widgets = {
            "name_ar": forms.TextInput(attrs=_arabic()),
            "name_fr": forms.TextInput(attrs=_latin()),
            "price": forms.NumberInput(attrs={"inputmode": "decimal", "min": 0, "step": "0.01"}),
            "sanitary_authorization": forms.TextInput(attrs={"dir": "ltr"}),
            "description_ar": forms.Textarea(attrs=_arabic({"rows": 3})),
            "description_fr": forms.Textarea(attrs=_latin({"rows": 3})),
        }

    def __init__(self, *args, existing_photos=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_photos = existing_photos
        self.fields["photos"].help_text = _(
            "You can choose several photos at once: JPEG or PNG, up to %(limit)s MB each, %(max)s photos per "
            "product.") % {"limit": LIMIT_MB, "max": MAX_PHOTOS}
        self.fields["category"].queryset = Sector.objects.all()
        self.fields["category"].empty_label = _("Choose the category")
        self.fields["price"].validators.append(_not_negative)
        self.fields["price"].help_text = _("In dirhams (MAD).")
        self.fields["sanitary_authorization"].help_text = _(
            "Required for food products (terroir, pastries, agriculture).")
        food = [str(pk) for pk in Sector.objects.filter(is_food=True).values_list("pk", flat=True)]
        self.fields["category"].widget.attrs["data-food"] = " ".join(food)
        if not self.instance.pk:
            del self.fields["is_active"]
        else:
            self.fields["price_on_request"].initial = self.instance.price is None
            self.fields["is_active"].help_text = _("Untick to hide the product from the directory.")
        order = list(self.fields)
        order.remove("price_on_request")
        order.insert(order.index("price") + 1, "price_on_request")
        self.order_fields(order)

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if self.existing_photos + len(photos) > MAX_PHOTOS:
            raise ValidationError(
                _("A product can have %(max)s photos. Remove some before adding new ones.") % {"max": MAX_PHOTOS})
        cleaned, errors = [], []
        for uploaded in photos:
            try:
                cleaned.append(_clean_picture(uploaded) if len(photos) > 1 else clean_image(uploaded))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned

    def clean(self):
        data = super().clean()
        if data.get("price_on_request"):
            data["price"] = None
        elif data.get("price") is None and "price" not in self.errors:
            self.add_error("price", _("Give the price, or tick “Price on request”."))
        category = data.get("category")
        if category is not None and category.is_food and not (data.get("sanitary_authorization") or "").strip():
            self.add_error("sanitary_authorization",
                           _("Food products need the number of their ONSSA sanitary authorization."))
        return data

    def changes(self):
        names = [*PRODUCT_FORM_FIELDS, "is_active"]
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


def _not_negative(value):
    if value is not None and value < 0:
        raise ValidationError(_("The price cannot be negative."))


class ClaimForm(forms.Form):
    """Ask to represent an organization that is already registered."""

    role_in_organization = forms.CharField(
        label=_("Your role in the organization"), max_length=100,
        help_text=_("For example: president, treasurer, member of the board."))
    message = forms.CharField(label=_("Message to the regional team"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    document = forms.FileField(label=_("Supporting document"),
                               widget=forms.FileInput(attrs={"accept": "application/pdf,image/*"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = _(
            "A PDF or a photo of a document that shows your role (for example the minutes of the last general "
            "assembly), up to %(limit)s MB.") % {"limit": LIMIT_MB}

    def clean_document(self):
        uploaded = self.cleaned_data["document"]
        document = clean_document(uploaded)
        if document is uploaded:
            # A PDF is kept as sent, under a name of our own (never the sender's).
            document.name = "document.pdf"
        return document


class DecisionForm(forms.Form):
    """Approve or refuse a request to represent an organization."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required for a refusal: it is sent to the person."))

    def clean(self):
        data = super().clean()
        data["reason"] = (data.get("reason") or "").strip()
        if data.get("decision") == "refuse" and not data["reason"]:
            self.add_error("reason", _("Give the reason for the refusal: the person will receive it."))
        return data

    @property
    def approve(self):
        return self.cleaned_data["decision"] == "approve"


class ActiveForm(forms.Form):
    """Deactivate or reactivate an organization, always with a reason."""

    active = forms.TypedChoiceField(choices=[("1", _("Reactivate")), ("0", _("Deactivate"))],
                                    coerce=lambda value: value == "1")
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Give the reason: it is kept in the activity log.")})


class OrganizationLookupForm(forms.Form):
    q = forms.CharField(label=_("Name or registration number"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search"}))

