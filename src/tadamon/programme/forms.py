from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tadamon.accounts.models import phone_validator
from tadamon.core.images import clean_image

from .models import Language, Session, SessionKind, Space, Speaker, TimeSlot

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SlotsForm(forms.Form):
    slot_minutes = forms.IntegerField(label=_("Length of a slot (minutes)"), min_value=15, max_value=600, initial=90)
    gap_minutes = forms.IntegerField(label=_("Break between slots (minutes)"), min_value=0, max_value=240, initial=0)
    day_starts = forms.TimeField(label=_("First slot starts at"), widget=TIME)
    day_ends = forms.TimeField(label=_("Last slot ends by"), widget=TIME)

    def clean(self):
        data = super().clean()
        if data.get("day_starts") and data.get("day_ends") and data["day_ends"] <= data["day_starts"]:
            self.add_error("day_ends", _("The day must end after it starts."))
        return data


class SpaceForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(label=_("Suits"), choices=SessionKind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("Tick none if the space suits every kind of session."))

    class Meta:
        model = Space
        fields = ["name_ar", "name_fr", "capacity", "kinds", "position"]
        widgets = {"name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
                   "name_fr": forms.TextInput(attrs={"dir": "ltr", "lang": "fr"})}

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.edition = edition


class SpeakerForm(forms.ModelForm):
    account = forms.EmailField(label=_("Account e-mail (optional)"), required=False,
                               help_text=_("The e-mail of the speaker's Tadamon account: they then see their "
                                           "sessions and attendance lists."))

    class Meta:
        model = Speaker
        fields = ["name_ar", "name_fr", "role_ar", "role_fr", "institution", "country", "bio_ar", "bio_fr", "photo",
                  "unavailable_slots"]
        widgets = {"bio_ar": forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ar"}),
                   "bio_fr": forms.Textarea(attrs={"rows": 3, "dir": "ltr", "lang": "fr"}),
                   "name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
                   "name_fr": forms.TextInput(attrs={"dir": "ltr", "lang": "fr"}),
                   "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
                   "unavailable_slots": forms.CheckboxSelectMultiple}

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        if self.instance.pk is None:
            self.instance.region = edition.region
        if self.instance.user_id:
            self.fields["account"].initial = self.instance.user.email
        slots = self.fields["unavailable_slots"]
        slots.queryset = TimeSlot.objects.filter(edition=edition)
        slots.label_from_instance = lambda s: f"{timezone.localtime(s.starts_at):%d/%m %H:%M}"
        slots.help_text = _("Times of this edition when the speaker cannot come (the automatic scheduler avoids "
                            "them).")
        slots.required = False

    def clean_photo(self):
        value = self.cleaned_data.get("photo")
        if value is False or value is None or isinstance(value, FieldFile):
            return value
        return clean_image(value, max_side=800)

    def clean_account(self):
        email = (self.cleaned_data.get("account") or "").strip()
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise ValidationError(_("No account uses this e-mail address."))
        return user

    def save(self, commit=True):
        self.instance.user = self.cleaned_data.get("account")
        speaker = super().save(commit=False)
        if commit:
            speaker.save()
            # Keep the unavailable times of other editions; replace this edition's.
            others = list(speaker.unavailable_slots.exclude(edition=self.edition))
            speaker.unavailable_slots.set(others + list(self.cleaned_data.get("unavailable_slots") or []))
        return speaker


class SessionForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(label=_("Languages spoken"), choices=Language.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    # Declared explicitly: speakers are region-scoped, the default field would query without a scope.
    speakers = forms.ModelMultipleChoiceField(label=_("Speakers and trainers"), queryset=Speaker.objects.none(),
                                              required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Session
        fields = ["kind", "title_ar", "title_fr", "description_ar", "description_fr", "languages", "audience",
                  "speakers", "duration_slots", "registration_required", "capacity", "expected_attendance"]
        widgets = {"description_ar": forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ar"}),
                   "description_fr": forms.Textarea(attrs={"rows": 3, "dir": "ltr", "lang": "fr"}),
                   "title_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
                   "title_fr": forms.TextInput(attrs={"dir": "ltr", "lang": "fr"})}

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.edition = edition
        self.fields["speakers"].queryset = Speaker.objects.with_scopes_disabled().filter(region=edition.region)
        self.fields["duration_slots"].widget.attrs.update({"min": 1, "max": 12})

    def clean_duration_slots(self):
        value = self.cleaned_data["duration_slots"]
        if value < 1 or value > 12:
            raise ValidationError(_("A session lasts from 1 to 12 slots."))
        if self.instance.slot_id:
            from .services import covered_slots

            if covered_slots(self.instance.slot, value) is None:
                raise ValidationError(_("At its present time, the session cannot last that long before the end of "
                                        "the day: move it first."))
        return value


class PlaceForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("Start"), queryset=TimeSlot.objects.none(), required=False,
                                  empty_label=_("— not placed —"))
    space = forms.ModelChoiceField(label=_("Space"), queryset=Space.objects.none(), required=False,
                                   empty_label=_("— not placed —"))

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = TimeSlot.objects.filter(edition=edition)
        self.fields["slot"].label_from_instance = (
            lambda s: f"{timezone.localtime(s.starts_at):%d/%m} · {s.label}")
        self.fields["space"].queryset = Space.objects.with_scopes_disabled().filter(edition=edition)

    def clean(self):
        data = super().clean()
        if bool(data.get("slot")) != bool(data.get("space")):
            raise ValidationError(_("Choose both a time and a space, or neither to take the session out of the grid."))
        return data


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone number"), max_length=20, validators=[phone_validator],
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "dir": "ltr",
                                                          "inputmode": "tel"}))
    email = forms.EmailField(label=_("E-mail (optional)"), required=False,
                             widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}))
    institution = forms.CharField(label=_("Institution or organization (optional)"), max_length=200, required=False,
                                  help_text=_("The cooperative, association or institution you come from."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(user, "is_authenticated", False):
            self.fields["phone"].required = False
            self.fields["phone"].help_text = _("Optional: for a text message reminder.")
            self.fields["email"].widget = forms.HiddenInput()


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code on the registration"), max_length=80,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "dir": "ltr", "spellcheck": "false"}))


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone number"), max_length=20, required=False, validators=[phone_validator],
                            widget=forms.TextInput(attrs={"type": "tel", "dir": "ltr"}))
    institution = forms.CharField(label=_("Institution or organization"), max_length=200, required=False)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Your rating"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(i, "★" * i) for i in range(5, 0, -1)])
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

