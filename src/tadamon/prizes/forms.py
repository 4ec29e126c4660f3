from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tadamon.core.images import clean_image
from tadamon.fairs.models import Application, Edition
from tadamon.registry.models import Organization

from .models import Category, Criterion, Honour, JuryMember, Prize
from .services import EXHIBITOR_STATUSES, MAX_PHOTOS

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PrizeForm(forms.ModelForm):
    edition = forms.ModelChoiceField(label=_("Edition"), queryset=Edition.objects.none())

    class Meta:
        model = Prize
        fields = ["edition", "title_ar", "title_fr", "description_ar", "description_fr", "candidacy_closes_at",
                  "scoring_closes_at", "jurors_per_candidacy", "winners_per_category", "same_province_conflict"]
        widgets = {"candidacy_closes_at": DATETIME, "scoring_closes_at": DATETIME,
                   "description_ar": forms.Textarea(attrs={"rows": 3, "dir": "rtl"}),
                   "description_fr": forms.Textarea(attrs={"rows": 3, "dir": "ltr"})}

    def __init__(self, *args, editions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = editions if editions is not None else Edition.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("candidacy_closes_at") and data.get("scoring_closes_at") and \
                data["scoring_closes_at"] <= data["candidacy_closes_at"]:
            raise ValidationError(_("The scoring must close after the candidacies."))
        if data.get("jurors_per_candidacy") == 0:
            raise ValidationError(_("At least one juror per candidacy."))
        return data


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name_ar", "name_fr", "sector"]


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name_ar", "name_fr", "weight", "max_points"]

    def clean(self):
        data = super().clean()
        if (data.get("weight") is not None and data["weight"] <= 0) or data.get("max_points") == 0:
            raise ValidationError(_("The weight must be above 0 and the maximum points at least 1."))
        return data


class JurorForm(forms.ModelForm):
    class Meta:
        model = JuryMember
        fields = ["name", "email", "institution", "province"]


def exhibitors(prize):
    ids = Application.objects.with_scopes_disabled().filter(
        edition_id=prize.edition_id, status__in=EXHIBITOR_STATUSES).values("organization")
    return Organization.objects.with_scopes_disabled().filter(pk__in=ids).order_by("name_ar")


class CandidacyForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none(),
                                          empty_label=None)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(),
                                      widget=forms.RadioSelect, empty_label=None)
    pitch = forms.CharField(label=_("Short pitch"), max_length=1200, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("In a few lines: what is innovative in your product or your way of working."))
    photo1 = forms.ImageField(label=_("Photo"), required=False)
    photo2 = forms.ImageField(label=_("Photo"), required=False)
    photo3 = forms.ImageField(label=_("Photo"), required=False)

    def __init__(self, *args, prize, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["category"].queryset = prize.categories.all()

    def clean(self):
        data = super().clean()
        photos = []
        for n in range(1, MAX_PHOTOS + 1):
            uploaded = data.get(f"photo{n}")
            if uploaded:
                try:
                    photos.append(clean_image(uploaded))
                except ValidationError as error:
                    self.add_error(f"photo{n}", error)
        data["photos"] = photos
        return data


class NominationForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    pitch = forms.CharField(label=_("Why the organizers nominate it"), max_length=1200,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, prize, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = exhibitors(prize)
        self.fields["category"].queryset = prize.categories.all()


class HonourForm(forms.ModelForm):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())

    class Meta:
        model = Honour
        fields = ["kind", "organization", "citation_ar", "citation_fr"]
        widgets = {"citation_ar": forms.Textarea(attrs={"rows": 2, "dir": "rtl"}),
                   "citation_fr": forms.Textarea(attrs={"rows": 2, "dir": "ltr"})}

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        ids = Application.objects.with_scopes_disabled().filter(
            edition=edition, status__in=EXHIBITOR_STATUSES).values("organization")
        self.fields["organization"].queryset = Organization.objects.with_scopes_disabled().filter(
            pk__in=ids).order_by("name_ar")


class RankingForm(forms.Form):
    note = forms.CharField(label=_("Deliberation minutes"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("What the jury decided and why, in a few lines. Kept with the ranking."))
