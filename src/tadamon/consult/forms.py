from django import forms
from django.utils.translation import gettext_lazy as _

from tadamon.fairs.models import Institution

from .models import Action, PoleService, Theme, Workshop

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
AR = {"dir": "rtl", "lang": "ar"}
FR = {"dir": "ltr", "lang": "fr"}


class ProposalForm(forms.Form):
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none(), empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Your proposal"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, workshop, table=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(workshop=workshop)
        if table:
            self.fields["author_label"] = forms.CharField(
                label=_("On behalf of"), max_length=150, help_text=_("The table or institution, e.g. “Table 3”."))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(ReasonForm):
    target = forms.IntegerField(label=_("Number of the proposal to merge into"), min_value=1)


class WorkshopForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session of the programme"), queryset=None)
    intro_ar = forms.CharField(label=_("Introduction in Arabic"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3, **AR}))
    intro_fr = forms.CharField(label=_("Introduction in French"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3, **FR}))
    themes = forms.CharField(label=_("Themes"), widget=forms.Textarea(attrs={"rows": 5}),
                             help_text=_("One theme a line: the Arabic title, then “|” and the French title."))

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions

    def clean_themes(self):
        themes = []
        for line in self.cleaned_data["themes"].splitlines():
            if line.strip():
                ar, _sep, fr = line.partition("|")
                themes.append((ar.strip(), fr.strip()))
        if not themes:
            raise forms.ValidationError(_("Give at least one theme."))
        return themes


class SettingsForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=Workshop.Phase.choices)
    staff_share = forms.IntegerField(label=_("Weight of the staff scores in the ranking (%)"), min_value=0,
                                     max_value=100, help_text=_("The rest goes to the participants' supports."))

    def __init__(self, *args, workshop, **kwargs):
        self.criteria = list(workshop.criteria.all())
        kwargs.setdefault("initial", {"phase": workshop.phase, "staff_share": workshop.staff_share,
                                      **{f"w{c.pk}": c.weight for c in self.criteria}})
        super().__init__(*args, **kwargs)
        for c in self.criteria:
            self.fields[f"w{c.pk}"] = forms.IntegerField(
                label=_("Weight of “%(criterion)s”") % {"criterion": c.name}, min_value=0, max_value=10)

    def weights(self):
        return {c: self.cleaned_data[f"w{c.pk}"] for c in self.criteria}


class PreReadForm(forms.Form):
    pre_read = forms.FileField(label=_("Pre-read (PDF)"))


class ScoreForm(forms.Form):
    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.TypedChoiceField(
                label=f"{c.name} (×{c.weight})", coerce=int, choices=[(i, str(i)) for i in range(1, 6)],
                initial=(initial_scores or {}).get(c.pk), widget=forms.RadioSelect)

    def values(self):
        return {c: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class PlanForm(forms.Form):
    title_ar = forms.CharField(label=_("Title in Arabic"), max_length=250, widget=forms.TextInput(attrs=AR))
    title_fr = forms.CharField(label=_("Title in French"), max_length=250, widget=forms.TextInput(attrs=FR))
    starts_on = forms.DateField(label=_("Plan starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Plan ends"), widget=DATE)


class RetainForm(forms.Form):
    reason = forms.CharField(label=_("Why it is retained"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    title_ar = forms.CharField(label=_("Action title in Arabic"), max_length=250, required=False,
                               widget=forms.TextInput(attrs=AR))
    title_fr = forms.CharField(label=_("Action title in French"), max_length=250, required=False,
                               widget=forms.TextInput(attrs=FR))
    owner = forms.ModelChoiceField(label=_("Owner (partner)"), queryset=Institution.objects.all())
    budget_mad = forms.DecimalField(label=_("Budget (MAD)"), min_value=0, max_digits=12, decimal_places=2)
    contact_email = forms.EmailField(label=_("E-mail of the partner's contact"), required=False,
                                     help_text=_("Their account may then post the action's progress."))


class ContactForm(forms.Form):
    contact_email = forms.EmailField(label=_("E-mail of the partner's contact"))


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200)
    target = forms.DecimalField(label=_("Target"), min_value=0, max_digits=12, decimal_places=2)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)


class ProgressForm(forms.Form):
    body = forms.CharField(label=_("What was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    evidence = forms.FileField(label=_("Evidence (PDF or photo)"), required=False)


class ServiceForm(forms.ModelForm):
    class Meta:
        model = PoleService
        fields = ["kind", "name_ar", "name_fr", "description_ar", "description_fr", "rules_ar", "rules_fr",
                  "price_mad", "unit", "capacity", "is_active"]
        widgets = {"name_ar": forms.TextInput(attrs=AR), "name_fr": forms.TextInput(attrs=FR),
                   "description_ar": forms.Textarea(attrs={"rows": 3, **AR}),
                   "description_fr": forms.Textarea(attrs={"rows": 3, **FR}),
                   "rules_ar": forms.Textarea(attrs={"rows": 3, **AR}),
                   "rules_fr": forms.Textarea(attrs={"rows": 3, **FR})}


class BookingForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("For the organization"), queryset=None, empty_label=None)
    starts_at = forms.DateTimeField(label=_("From"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Until"), widget=DATETIME)
    purpose = forms.CharField(label=_("Purpose"), max_length=250, required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
