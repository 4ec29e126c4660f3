"""The quick select renders what Django's select renders: same options, values, selection, escaping."""

from django import forms
from django.test.html import parse_html

from tadamon.core.widgets import Select

CHOICES = [("", "كل الجهات"), ("01", "طنجة-تطوان-الحسيمة"), ("03", "Fès & <Meknès>"), ("07", 'Marrakech "Safi"')]
GROUPED = [("", "—"), ("Nord", [("01", "Tanger"), ("02", "Oriental")]), ("Sud", [("09", "Souss-Massa")])]


def test_the_same_markup_as_djangos_select():
    for choices in (CHOICES, GROUPED):
        for value in ("", "03", "09", "absent", None):
            attrs = {"id": "region-select", "class": "filter", "data-auto": True, "hidden": False}
            ours = Select(choices=choices).render("region", value, attrs)
            django = forms.Select(choices=choices).render("region", value, attrs)
            assert parse_html(ours) == parse_html(django)  # as assertHTMLEqual compares: attribute order aside


def test_selected_and_escaped():
    html = str(Select(choices=CHOICES).render("region", "03", {"id": "r"}))
    assert '<option value="03" selected>Fès &amp; &lt;Meknès&gt;</option>' in html
    assert '<option value="07">Marrakech &quot;Safi&quot;</option>' in html
    assert html.startswith('<select name="region" id="r">') and html.endswith("</select>")
    assert html.count(" selected") == 1


def test_the_directory_form_renders_its_regions_and_provinces(db):
    from tadamon.registry.filters import DirectoryFilterForm

    form = DirectoryFilterForm({"region": "03"})
    html = str(form["province"])
    assert '<option value="03.271">إفران</option>' in html
    assert "03.271" in html and "01.051" not in html  # only the provinces of the region chosen
    assert '<option value="03" selected>' in str(form["region"])
