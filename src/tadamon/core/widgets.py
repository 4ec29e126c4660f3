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
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(format_html('<option value="{}"{}>{}</option>', option["value"], flatatt(option["attrs"]),
                                     option["label"]) for option in options)
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 (every part is escaped by format_html)
