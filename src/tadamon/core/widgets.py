"""Widgets that render long lists quickly.

Django renders each ``<option>`` of a select through a template of its own: on the public
directory, where the province list alone has 75 options and the page is computed for every new
search, that is most of the form's cost. :class:`Select` writes the same markup in Python.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class Select(forms.Select):
    """A ``<select>`` like Django's, its options written without a template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        # Django's optgroups() builds a dictionary of attributes per option; only the selected one has any.
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        chosen = set(self.format_value(value))
        parts = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        has_selected = False
        for group_value, group_label in self.choices:
            group = group_label if isinstance(group_label, (list, tuple)) else None
            if group is not None:
                parts.append(format_html('<optgroup label="{}">', group_value))
            for option_value, label in group if group is not None else [(group_value, group_label)]:
                option_value = "" if option_value is None else str(option_value)
                selected = option_value in chosen and (not has_selected or self.allow_multiple_selected)
                has_selected |= selected
                parts.append(format_html('<option value="{}"{}>{}</option>', option_value,
                                         mark_safe(" selected") if selected else "", label))  # noqa: S308
            if group is not None:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 (every part is escaped by format_html)
