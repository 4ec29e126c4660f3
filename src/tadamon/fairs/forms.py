from django import forms
from django.utils.translation import gettext_lazy as _

from tadamon.core.images import clean_document
from tadamon.registry.models import Organization, Product

from .models import Application, Pole


class PoleStepForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["pole"]
        widgets = {"pole": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pole"].queryset = Pole.objects.filter(edition=self.instance.edition, accepts_applications=True)
        self.fields["pole"].required = True
        self.fields["pole"].empty_label = None


class ProductsStepForm(forms.ModelForm):
    # Declared explicitly: products are region-scoped, the default field would query without a scope.
    products = forms.ModelMultipleChoiceField(label=_("Products to show"), queryset=Product.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Application
        fields = ["products"]
        widgets = {"products": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = Product.objects.with_scopes_disabled().filter(
            organization=self.instance.organization, is_active=True)
        self.fields["products"].required = True
        self.fields["products"].error_messages["required"] = _("Choose at least one product to show.")


class NeedsStepForm(forms.ModelForm):
    share_with = forms.ModelChoiceField(label=_("Share a stand with"), queryset=Organization.objects.none(),
                                        required=False)

    class Meta:
        model = Application
        fields = ["needs_power", "needs_water", "needs_refrigeration", "needs_step_free", "share_with"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        edition = self.instance.edition
        others = (Application.objects.with_scopes_disabled().filter(edition=edition).exclude(pk=self.instance.pk)
                  .values("organization"))
        self.fields["share_with"].queryset = Organization.objects.with_scopes_disabled().filter(pk__in=others)
        self.fields["share_with"].help_text = _("Organizations that also applied to this edition.")
        self.fields["share_with"].empty_label = _("No preference")


class QuestionsStepForm(forms.Form):
    first_participation = forms.BooleanField(label=_("This is our first participation in this fair"), required=False)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["first_participation"].initial = application.first_participation
        for question in application.edition.questions.all():
            name = f"q_{question.pk}"
            if question.kind == "yes_no":
                self.fields[name] = forms.ChoiceField(label=question.text, required=question.required,
                                                      choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))])
            else:
                self.fields[name] = forms.CharField(label=question.text, required=question.required,
                                                    max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
            self.fields[name].initial = application.answers.get(str(question.pk), "")
        uploaded = set(application.documents.values_list("required_document_id", flat=True))
        for document in application.edition.required_documents.all():
            name = f"doc_{document.pk}"
            self.fields[name] = forms.FileField(label=document.name,
                                                required=document.required and document.pk not in uploaded)
            if document.pk in uploaded:
                self.fields[name].help_text = _("Already received. Upload again to replace it.")

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if name.startswith("doc_") and value:
                try:
                    data[name] = clean_document(value)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return data


class DeclarationStepForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["declaration_accepted"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["declaration_accepted"].required = True
        self.fields["declaration_accepted"].label = _(
            "I declare that the information given is true and that our organization will respect the rules "
            "of the fair.")


class ChooseOrganizationForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, empty_label=None,
                                          widget=forms.RadioSelect)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class EditionForm(forms.ModelForm):
    class Meta:
        from .models import Edition

        model = Edition
        fields = ["region", "kind", "number", "title_ar", "title_fr", "slogan_ar", "slogan_fr", "description_ar",
                  "description_fr", "starts_on", "ends_on", "opens_at", "closes_at", "venue_name_ar", "venue_name_fr",
                  "venue_address", "area_m2", "call_opens_at", "call_closes_at", "allowed_legal_forms",
                  "allowed_sectors", "region_only", "outside_region_max", "women_led_min_share", "min_age_months",
                  "require_product_photo", "require_sanitary_for_food"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "call_opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "call_closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "allowed_sectors": forms.CheckboxSelectMultiple,
            "description_ar": forms.Textarea(attrs={"rows": 3}),
            "description_fr": forms.Textarea(attrs={"rows": 3}),
        }

    allowed_legal_forms = forms.MultipleChoiceField(
        label=_("Legal forms allowed"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every legal form."))

    def __init__(self, *args, regions=None, **kwargs):
        from tadamon.registry.models import LegalForm

        super().__init__(*args, **kwargs)
        self.fields["allowed_legal_forms"].choices = LegalForm.choices
        if regions is not None:
            self.fields["region"].queryset = regions
            self.fields["region"].empty_label = None

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last day comes after the first day."))
        opens, closes = data.get("call_opens_at"), data.get("call_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("call_closes_at", _("The call must close after it opens."))
        share = data.get("women_led_min_share")
        if share is not None and not (0 <= share <= 1):
            self.add_error("women_led_min_share", _("A share goes from 0 to 1 (for example 0.35)."))
        return data


class PoleForm(forms.ModelForm):
    class Meta:
        model = Pole
        fields = ["kind", "name_ar", "name_fr", "description_ar", "description_fr", "capacity", "stands",
                  "accepts_applications", "position"]
        widgets = {"description_ar": forms.Textarea(attrs={"rows": 2}),
                   "description_fr": forms.Textarea(attrs={"rows": 2})}


class CriterionForm(forms.ModelForm):
    class Meta:
        from .models import Criterion

        model = Criterion
        fields = ["name_ar", "name_fr", "weight", "max_points", "position"]

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight <= 0:
            raise forms.ValidationError(_("The weight must be positive."))
        return weight


class QuotaForm(forms.ModelForm):
    class Meta:
        from .models import SelectionQuota

        model = SelectionQuota
        fields = ["name", "pole", "applies_to", "value", "group_by", "minimum", "maximum", "min_share", "max_share"]

    def __init__(self, *args, edition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        if edition is not None:
            self.fields["pole"].queryset = edition.poles.filter(accepts_applications=True)

    def clean(self):
        from tadamon.core.models import Province
        from tadamon.registry.models import Sector

        data = super().clean()
        applies_to, value = data.get("applies_to"), (data.get("value") or "").strip()
        data["value"] = value
        if applies_to == "province" and not Province.objects.filter(code=value).exists():
            self.add_error("value", _("Type the code of a province, e.g. 03.131."))
        if applies_to == "sector" and not Sector.objects.filter(key=value).exists():
            self.add_error("value", _("Type the key of a sector, e.g. terroir."))
        bounds = [data.get(k) for k in ("minimum", "maximum", "min_share", "max_share")]
        if all(b is None for b in bounds):
            raise forms.ValidationError(_("Give at least one limit: at least, at most, or a share."))
        for low, high in (("minimum", "maximum"), ("min_share", "max_share")):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, _("The upper limit is below the lower one."))
        for key in ("min_share", "max_share"):
            if data.get(key) is not None and data[key] > 100:
                self.add_error(key, _("A share goes from 0 to 100 %."))
        if self.edition is not None and data.get("name") and self.edition.quotas.filter(
                name=data["name"]).exists():
            self.add_error("name", _("Another quota of this edition has this name."))
        return data


class QuestionForm(forms.ModelForm):
    class Meta:
        from .models import CallQuestion

        model = CallQuestion
        fields = ["text_ar", "text_fr", "kind", "required"]


class RequiredDocumentForm(forms.ModelForm):
    class Meta:
        from .models import RequiredDocument

        model = RequiredDocument
        fields = ["name_ar", "name_fr", "required"]


class ReturnForm(forms.Form):
    message = forms.CharField(label=_("What the applicant must complete"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=2000)


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=4000)

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"c_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name} (/{criterion.max_points}, ×{criterion.weight.normalize()})",
                min_value=0, max_value=criterion.max_points, decimal_places=1,
                initial=(initial_scores or {}).get(str(criterion.pk)))

    def scores(self):
        return {str(c.pk): self.cleaned_data[f"c_{c.pk}"] for c in self.criteria}
