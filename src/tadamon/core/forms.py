from django import forms
from django.utils.translation import gettext_lazy as _

from .activity import ACTION_LABELS
from .models import Region


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("Who or what"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("Action"), required=False)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False,
                                    empty_label=_("All regions"))
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, show_region=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions"))] + sorted(
            ((k, str(v)) for k, v in ACTION_LABELS.items()), key=lambda kv: kv[1]
        )
        if not show_region:
            del self.fields["region"]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date must come before the end date."))
        return data
