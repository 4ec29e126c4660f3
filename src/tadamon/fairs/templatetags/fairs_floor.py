"""``{% exhibitor_stand application %}``: the exhibitor's stand, badges and fair details, on its
application page (nothing before the selection is published)."""

from django import template

register = template.Library()


@register.inclusion_tag("fairs/floor/_my_stand.html")
def exhibitor_stand(application):
    from ..views.exhibitor import exhibitor_context

    return exhibitor_context(application)
