"""The configurable list of sectors, seeded with the sectors of the regional SSE."""

from django.db import migrations

SECTORS = [
    ("handicrafts", "الصناعة التقليدية", "Artisanat", "Handicrafts", False),
    ("terroir", "المنتوجات المجالية والصناعات الغذائية", "Produits du terroir et agroalimentaire",
     "Terroir and agri-food products", True),
    ("pastries", "الحلويات", "Pâtisserie", "Pastries", True),
    ("agriculture", "الفلاحة", "Agriculture", "Agriculture", True),
    ("textile", "النسيج والقفطان", "Textile et caftan", "Textile and caftan", False),
    ("cosmetics", "مواد التجميل والأركان", "Cosmétiques et argan", "Cosmetics and argan", False),
    ("services", "الخدمات", "Services", "Services", False),
    ("other", "أخرى", "Autre", "Other", False),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("registry", "Sector")
    for position, (key, ar, fr, en, food) in enumerate(SECTORS):
        Sector.objects.update_or_create(
            key=key, defaults={"name_ar": ar, "name_fr": fr, "name_en": en, "position": position, "is_food": food}
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_search_indexes")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
