"""Load Morocco's 12 regions and 75 provinces and prefectures (official codes, Arabic and French)."""

from django.db import migrations


def load(apps, schema_editor):
    from tadamon.core.reference import load_reference

    load_reference(apps.get_model("core", "Region"), apps.get_model("core", "Province"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
