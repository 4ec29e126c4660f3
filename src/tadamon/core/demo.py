"""Demo accounts, one per role (listed in the README). Loading is idempotent."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Region, Role, RoleAssignment

DEMO_PASSWORD = "tadamon-demo"
FES_MEKNES = "03"
MARRAKECH_SAFI = "07"

#: (e-mail, first name, last name, language, role, region code)
DEMO_ACCOUNTS = [
    ("admin@tadamon.ma", "Nadia", "Benali", "ar", Role.NATIONAL_ADMIN, None),
    ("fes@tadamon.ma", "Karim", "El Idrissi", "ar", Role.REGIONAL_STAFF, FES_MEKNES),
    ("marrakech@tadamon.ma", "Salma", "Ait Lahcen", "ar", Role.REGIONAL_STAFF, MARRAKECH_SAFI),
    ("partner@tadamon.ma", "Youssef", "Tazi", "fr", Role.PARTNER_VIEWER, FES_MEKNES),
    ("cooperative@tadamon.ma", "Fatima", "Ouazzani", "ar", None, None),
    ("jury@tadamon.ma", "Hicham", "Bennani", "fr", Role.JUROR, FES_MEKNES),
    ("trainer@tadamon.ma", "Leila", "Amrani", "fr", Role.TRAINER, FES_MEKNES),
]


@transaction.atomic
def load_demo_accounts():
    User = get_user_model()
    created = 0
    for email, first, last, language, role, region_code in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, first_name=first, last_name=last, preferred_language=language,
                        email_verified=True, phone="0600000000")
            user.set_password(DEMO_PASSWORD)
            if role == Role.NATIONAL_ADMIN:
                user.is_staff = user.is_superuser = True
            user.save()
            created += 1
        if role is not None:
            region = Region.objects.get(code=region_code) if region_code else None
            RoleAssignment.objects.get_or_create(user=user, role=role, region=region)
    return created
