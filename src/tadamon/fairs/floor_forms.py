"""Forms of the floor plan, the allocation, the exhibitor's fair details and the check-in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tadamon.registry.models import Sector

from .floor_models import Area, Participation, PlanSpace, Stand
from .models import Pole


def _edition_choices(form, edition, *, area_field="area", pole_field="pole"):
    if area_field in form.fields:
        form.fields[area_field].queryset = Area.objects.with_scopes_disabled().filter(edition=edition)
    if pole_field in form.fields:
        form.fields[pole_field].queryset = Pole.objects.filter(edition=edition)
    if "zone" in form.fields:
        form.fields["zone"].queryset = Sector.objects.all()
        form.fields["zone"].empty_label = _("No sector zone")


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["name_ar", "name_fr", "x", "y", "width", "depth"]


class GridForm(forms.Form):
    pole = forms.ModelChoiceField(label=_("Pole"), queryset=Pole.objects.none())
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, required=False,
                                  empty_label=_("No area (from the plan's corner)"))
    rows = forms.IntegerField(label=_("Rows"), min_value=1, max_value=60, initial=2)
    columns = forms.IntegerField(label=_("Stands per row"), min_value=1, max_value=100, initial=10)
    stand_width = forms.FloatField(label=_("Stand width (m)"), min_value=1, max_value=30, initial=3)
    stand_depth = forms.FloatField(label=_("Stand depth (m)"), min_value=1, max_value=30, initial=3)
    aisle = forms.FloatField(label=_("Aisle width (m)"), min_value=0, max_value=30, initial=3)
    back_to_back = forms.BooleanField(label=_("Rows back to back (an aisle every two rows)"), required=False,
                                      initial=True)
    cross_aisle_every = forms.IntegerField(label=_("Cross aisle every … stands (0: none)"), min_value=0,
                                           max_value=100, initial=0, required=False)
    x = forms.FloatField(label=_("Start from the area's left edge (m)"), min_value=0, max_value=2000, initial=2)
    y = forms.FloatField(label=_("Start from the area's top edge (m)"), min_value=0, max_value=2000, initial=2)
    prefix = forms.RegexField(label=_("Number prefix"), regex=r"^[A-Za-z0-9-]{0,4}$", required=False,
                              max_length=4, error_messages={"invalid": _("Up to 4 Latin letters or digits.")})
    start = forms.IntegerField(label=_("First number"), min_value=0, max_value=9999, initial=1)
    capacity = forms.IntegerField(label=_("Exhibitors per stand"), min_value=1, max_value=20, initial=2)
    power = forms.BooleanField(label=_("Electricity"), required=False, initial=True)
    water = forms.BooleanField(label=_("Water"), required=False)
    step_free = forms.BooleanField(label=_("Step-free access"), required=False, initial=True)
    zone = forms.ModelChoiceField(label=_("Sector zone"), queryset=Sector.objects.none(), required=False)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        _edition_choices(self, edition)


class StandForm(forms.ModelForm):
    # Declared explicitly: areas are region-scoped, the default field would query without a scope.
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, required=False)

    class Meta:
        model = Stand
        fields = ["number", "pole", "area", "capacity", "corner", "power", "water", "step_free", "zone", "x", "y",
                  "width", "depth"]

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        _edition_choices(self, edition)
        self.fields["number"].widget.attrs.update({"dir": "ltr", "autocomplete": "off"})


class SpaceForm(forms.ModelForm):
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, required=False)

    class Meta:
        model = PlanSpace
        fields = ["kind", "name_ar", "name_fr", "area", "x", "y", "width", "depth"]

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        _edition_choices(self, edition)


class ExhibitorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.organization.name} · {obj.pole.name if obj.pole_id else ''}"


class StandChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} · {obj.pole.name}"


class PlaceForm(forms.Form):
    application = ExhibitorChoiceField(label=_("Exhibitor"), queryset=None)
    stand = StandChoiceField(label=_("Stand"), queryset=None)

    def __init__(self, *args, exhibitors, stands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = exhibitors
        self.fields["stand"].queryset = stands


class SwapForm(forms.Form):
    first = ExhibitorChoiceField(label=_("Exhibitor"), queryset=None)
    second = ExhibitorChoiceField(label=_("swaps stands with"), queryset=None)

    def __init__(self, *args, exhibitors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first"].queryset = exhibitors
        self.fields["second"].queryset = exhibitors


class PreferencesForm(forms.Form):
    """Up to three stands of the exhibitor's pole, in order of preference."""

    def __init__(self, *args, stands, initial_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = [_("First choice"), _("Second choice"), _("Third choice")]
        for i in range(Participation.MAX_PREFERENCES):
            field = StandChoiceField(label=labels[i], queryset=stands, required=False,
                                     empty_label=_("No preference"))
            field.label_from_instance = lambda s: s.number + (" ★" if s.corner else "")
            if i < len(initial_ids):
                field.initial = initial_ids[i]
            self.fields[f"choice_{i + 1}"] = field

    def stands(self):
        return [self.cleaned_data.get(f"choice_{i + 1}") for i in range(Participation.MAX_PREFERENCES)]


class StaffNamesForm(forms.Form):
    """The people who will hold the stand: one badge each."""

    def __init__(self, *args, names=(), **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(Participation.MAX_STAFF):
            self.fields[f"name_{i + 1}"] = forms.CharField(
                label=_("Person %(n)s") % {"n": i + 1}, max_length=150, required=i == 0,
                initial=names[i] if i < len(names) else "",
                error_messages={"required": _("Give at least one name.")})

    def names(self):
        return [self.cleaned_data.get(f"name_{i + 1}", "") for i in range(Participation.MAX_STAFF)]


class ScanForm(forms.Form):
    code = forms.CharField(label=_("Badge code"), max_length=300,
                           widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off",
                                                         "autocapitalize": "characters", "inputmode": "text",
                                                         "placeholder": "ABCD-EFGH-JKMN"}))
    direction = forms.ChoiceField(label=_("Record"), choices=[("arrival", _("Arrival")), ("departure", _("Departure"))],
                                  initial="arrival", widget=forms.RadioSelect)
