"""Morocco's 12 regions and 75 provinces and prefectures, from the official lists in ``data/``."""

import csv
from pathlib import Path

from django.utils.text import slugify

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_csv(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference(region_model, province_model):
    """Create or update every region and province. Idempotent; returns (regions, provinces)."""
    regions = {}
    for row in read_csv("regions.csv"):
        region, _ = region_model.objects.update_or_create(
            code=row["code"],
            defaults={"name_ar": row["name_ar"], "name_fr": row["name_fr"], "slug": slugify(row["name_fr"])},
        )
        regions[row["code"]] = region
    count = 0
    for row in read_csv("provinces.csv"):
        province_model.objects.update_or_create(
            code=row["code"],
            defaults={"region": regions[row["region_code"]], "name_ar": row["name_ar"], "name_fr": row["name_fr"]},
        )
        count += 1
    return len(regions), count
