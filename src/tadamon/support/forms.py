"""Forms of the support programmes: short, phone-sized, translated."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tadamon.core.images import clean_document
from tadamon.registry.models import LegalForm

from .models import Cohort, DiagnosisQuestion, FundingFile, Participant, Partner, Programme
from .services import SCALE


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["kind", "name_ar", "name_fr", "description_ar", "description_fr", "partners", "is_public"]
        widgets = {"partners": forms.CheckboxSelectMultiple, "description_ar": forms.Textarea(attrs={"rows": 3}),
                   "description_fr": forms.Textarea(attrs={"rows": 3})}


class CohortForm(forms.ModelForm):
    allowed_legal_forms = forms.MultipleChoiceField(
        label=_("legal forms admitted"), choices=LegalForm.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every legal form."))

    class Meta:
        model = Cohort
        fields = ["name_ar", "name_fr", "starts_on", "ends_on", "places", "call_opens_on", "call_closes_on",
                  "allowed_legal_forms", "min_age_months", "max_age_months", "sectors", "provinces",
                  "women_led_only", "youth_led_only"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "call_opens_on": DateInput(),
                   "call_closes_on": DateInput(), "sectors": forms.CheckboxSelectMultiple,
                   "provinces": forms.CheckboxSelectMultiple}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provinces"].queryset = region.provinces.all()

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end comes before the start."))
        if data.get("call_opens_on") and data.get("call_closes_on") and data["call_closes_on"] < data["call_opens_on"]:
            self.add_error("call_closes_on", _("The call closes before it opens."))
        return data


class QuestionForm(forms.ModelForm):
    class Meta:
        model = DiagnosisQuestion
        fields = ["axis", "text_ar", "text_fr", "weight", "position"]


class ApplyForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("organization"), queryset=None, empty_label=None)
    motivation = forms.CharField(label=_("What do you expect from the programme?"), max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("select", _("Select")), ("reject", _("Do not select"))],
                                 widget=forms.RadioSelect, label=_("decision"))
    reason = forms.CharField(label=_("reason"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required when the organization is not selected: it will read it."))


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["coach", "stage", "ceased_on"]
        widgets = {"ceased_on": DateInput()}

    def __init__(self, *args, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches
        self.fields["coach"].required = False


class LinkTrainingForm(forms.Form):
    session = forms.ModelChoiceField(label=_("training workshop"), queryset=None)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class DiagnosisForm(forms.Form):
    """One radio row per question, 0 (not at all) to 4 (fully), grouped by axis in the template."""

    def __init__(self, *args, questions, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text, choices=SCALE, coerce=int, widget=forms.RadioSelect,
                initial=(initial_answers or {}).get(str(question.pk)))
            self.fields[f"q{question.pk}"].axis = question.axis

    def answers(self):
        return {str(q.pk): self.cleaned_data[f"q{q.pk}"] for q in self.questions}


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(label=_("date and time"), widget=DateTimeInput(),
                                       input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("place"), max_length=200, required=False)


class ReportForm(forms.Form):
    """The coach's report, on a phone: what was done, how long, and up to three actions agreed."""

    report = forms.CharField(label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    duration_minutes = forms.IntegerField(label=_("duration (minutes)"), min_value=10, max_value=600, initial=90)
    action_1 = forms.CharField(label=_("Action agreed"), max_length=300, required=False)
    due_1 = forms.DateField(label=_("due on"), required=False, widget=DateInput())
    action_2 = forms.CharField(label=_("Action agreed"), max_length=300, required=False)
    due_2 = forms.DateField(label=_("due on"), required=False, widget=DateInput())
    action_3 = forms.CharField(label=_("Action agreed"), max_length=300, required=False)
    due_3 = forms.DateField(label=_("due on"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        for i in (1, 2, 3):
            text, due = (data.get(f"action_{i}") or "").strip(), data.get(f"due_{i}")
            if text and due is None:
                self.add_error(f"due_{i}", _("Give the date by which it must be done."))
            if due is not None and not text:
                self.add_error(f"action_{i}", _("Say what must be done."))
            if due is not None and due < timezone.localdate():
                self.add_error(f"due_{i}", _("The due date is in the past."))
        return data

    def actions(self):
        return [(self.cleaned_data[f"action_{i}"], self.cleaned_data[f"due_{i}"]) for i in (1, 2, 3)
                if (self.cleaned_data.get(f"action_{i}") or "").strip()]


class ActionForm(forms.Form):
    text = forms.CharField(label=_("What to do"), max_length=300)
    due_on = forms.DateField(label=_("due on"), widget=DateInput())


class FundingFileForm(forms.ModelForm):
    class Meta:
        model = FundingFile
        fields = ["kind", "project_title", "market", "production_plan", "investments", "jobs_expected",
                  "yearly_revenue_expected", "own_contribution", "amount_requested"]
        widgets = {"market": forms.Textarea(attrs={"rows": 3}), "production_plan": forms.Textarea(attrs={"rows": 3}),
                   "investments": forms.Textarea(attrs={"rows": 3})}

    def clean_amount_requested(self):
        amount = self.cleaned_data["amount_requested"]
        if amount is not None and amount <= 0:
            raise ValidationError(_("The amount requested must be more than 0."))
        return amount


class FundingDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
                                 widget=forms.RadioSelect, label=_("decision"))
    amount = forms.DecimalField(label=_("amount granted (MAD)"), max_digits=12, decimal_places=2, required=False,
                                min_value=0)
    funder = forms.ModelChoiceField(label=_("funded by"), queryset=Partner.objects.all(), required=False)
    loan_months = forms.IntegerField(label=_("monthly instalments (loans)"), min_value=0, max_value=120,
                                     required=False)
    grace_months = forms.IntegerField(label=_("months before the first instalment"), min_value=0, max_value=36,
                                      required=False, initial=0)
    reason = forms.CharField(label=_("reason"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class TrancheForm(forms.Form):
    amount = forms.DecimalField(label=_("amount (MAD)"), max_digits=12, decimal_places=2)
    paid_on = forms.DateField(label=_("paid on"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("document"), max_length=150)
    file = forms.FileField(label=_("file"), help_text=_("A PDF or a photo (JPEG, PNG), 5 MB at most."))

    def clean_file(self):
        return clean_document(self.cleaned_data["file"])
