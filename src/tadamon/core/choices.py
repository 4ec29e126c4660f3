"""Choices kept in memory: the regions, provinces and sectors offered by public filters.

They change a few times a year (a migration, an administrator) but every public page lists them:
read from the database, a directory page spends more on its three selects than on its search. A
list is read once per process and kept for ``SECONDS``; a change saved through the ORM clears the
process's lists at once (as Django does for its sites), and other processes see it within
``SECONDS``. Only what a select shows is kept: a chosen value is still checked against the database.
"""

import time

from django import forms
from django.db.models.signals import post_delete, post_save
from django.forms.models import ModelChoiceIterator

SECONDS = 300

_kept = {}


def objects(queryset):
    """The objects of ``queryset`` (a list), from memory when read less than ``SECONDS`` ago."""
    key = (queryset.model._meta.label, queryset.db, str(queryset.query))
    now = time.monotonic()
    found = _kept.get(key)
    if found is None or found[0] < now:
        found = (now + SECONDS, list(queryset))
        _kept[key] = found
    return found[1]


def clear(**kwargs):
    _kept.clear()


class ReferenceChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in objects(self.queryset):
            yield self.choice(obj)

    def __len__(self):
        return len(objects(self.queryset)) + (1 if self.field.empty_label is not None else 0)


class ReferenceChoiceField(forms.ModelChoiceField):
    """A choice of a reference object whose options come from memory (see module docstring)."""

    iterator = ReferenceChoiceIterator


def watch(*models):
    """Clear the kept lists whenever one of ``models`` is saved or deleted in this process."""
    for model in models:
        post_save.connect(clear, sender=model, dispatch_uid=f"reference-save-{model._meta.label}")
        post_delete.connect(clear, sender=model, dispatch_uid=f"reference-delete-{model._meta.label}")
