"""Month names as Morocco writes them in Arabic (يناير، فبراير، مارس، أبريل، ماي، يونيو، يوليوز، غشت،
شتنبر، أكتوبر، نونبر، دجنبر). Django's dates use these msgids; listing them here puts them in our
catalogue, which Django reads before its own."""

from django.utils.translation import gettext_noop, pgettext_lazy

MONTHS = [
    gettext_noop("January"), gettext_noop("February"), gettext_noop("March"), gettext_noop("April"),
    gettext_noop("May"), gettext_noop("June"), gettext_noop("July"), gettext_noop("August"),
    gettext_noop("September"), gettext_noop("October"), gettext_noop("November"), gettext_noop("December"),
]
# Django uses these for dates written "j F Y" in some languages.
MONTHS_ALT = [
    pgettext_lazy("alt. month", "January"), pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"), pgettext_lazy("alt. month", "April"), pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"), pgettext_lazy("alt. month", "July"), pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"), pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"), pgettext_lazy("alt. month", "December"),
]
