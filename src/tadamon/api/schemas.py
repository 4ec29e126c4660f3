"""The shapes of the public API v1: a contract other tools rely on.

Fields are added only when the contract grows (docs/api.md); they are never renamed or removed
within v1. Every response is built field by field in :mod:`tadamon.api.registry`, so a new
model field never leaks out by accident.
"""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from tadamon.registry.models import LegalForm, ProductUnit

#: Page size of every paginated list (``count`` + ``items``).
PAGE_SIZE = 20
#: The highest page number accepted (2,000,000 records at 20 a page).
MAX_PAGE = 100_000

LegalFormKey = Literal[tuple(LegalForm.values)]
UnitKey = Literal[tuple(ProductUnit.values)]


class Error(Schema):
    detail: str = Field(description="What went wrong.", examples=["Organization not found."])


class ValidationErrorItem(Schema):
    type: str = Field(description="Kind of error, e.g. `int_parsing`, `greater_than_equal`, `string_pattern_mismatch`.")
    loc: list[str | int] = Field(description="Where: `[\"query\", \"page\"]`.")
    msg: str = Field(description="What is wrong, in English.")


class ValidationErrors(Schema):
    detail: list[ValidationErrorItem]


class Region(Schema):
    code: str = Field(description="Official two-digit code.", examples=["03"])
    name_ar: str = Field(examples=["فاس مكناس"])
    name_fr: str = Field(examples=["Fès-Meknès"])


class Province(Schema):
    code: str = Field(description="Official code `RR.PPP` (region code, dot, province number).", examples=["03.131"])
    region: str = Field(description="Code of its region.", examples=["03"])
    name_ar: str = Field(examples=["بولمان"])
    name_fr: str = Field(examples=["Boulemane"])


class OrganizationItem(Schema):
    id: int
    name_ar: str
    name_fr: str = Field(description="May be empty.")
    legal_form: LegalFormKey = Field(description="`cooperative`, `association`, `mutual` or `social_enterprise`.")
    province: str = Field(description="Province code, e.g. `03.131` (see /provinces).")
    region: str = Field(description="Region code, e.g. `03` (see /regions).")
    sector: str = Field(description="Sector key, e.g. `terroir`.")
    women_led: bool
    url: str = Field(description="Absolute URL of the organization's public page (Arabic).")


class OrganizationPage(Schema):
    count: int = Field(description="Number of matching organizations, all pages together; with `q`, at most "
                                   "1,000 (the best 1,000 are paged; 1,000 means 1,000 or more).")
    items: list[OrganizationItem] = Field(description=f"At most {PAGE_SIZE} organizations.")


class Product(Schema):
    id: int
    name_ar: str
    name_fr: str = Field(description="May be empty.")
    description_ar: str
    description_fr: str
    category: str = Field(description="Sector key of the product, e.g. `terroir`.")
    price: float | None = Field(description="Price in Moroccan dirhams (MAD) per unit; null: price on request.")
    unit: UnitKey = Field(description="Unit the price is for.")
    photos: list[str] = Field(description="Absolute URLs of the photos, first one first.")
    sanitary_authorization: str = Field(description="ONSSA sanitary authorization number; may be empty.")
    terroir_label: bool
    origin_label: str = Field(description="Protected geographical indication or designation of origin; may be empty.")


class OrganizationRef(Schema):
    id: int
    name_ar: str
    name_fr: str
    url: str = Field(description="Absolute URL of the organization's public page (Arabic).")


class ProductItem(Product):
    organization: OrganizationRef = Field(description="The organization that makes the product.")


class ProductPage(Schema):
    count: int = Field(description="Number of matching products, all pages together; with `q`, at most "
                                   "1,000 (the best 1,000 are paged; 1,000 means 1,000 or more).")
    items: list[ProductItem] = Field(description=f"At most {PAGE_SIZE} products.")


class OrganizationDetail(OrganizationItem):
    registration_number: str = Field(description="For a cooperative, its ODCO number; may be empty.")
    created_on: date | None = Field(description="Date of creation, if known.")
    commune: str
    activities: str
    description_ar: str
    description_fr: str
    members_total: int | None
    members_women: int | None
    members_youth: int | None = Field(description="Members under 35.")
    website: str
    facebook: str
    instagram: str
    logo: str | None = Field(description="Absolute URL of the logo, or null.")
    verified: bool = Field(description="Checked by the regional council's staff.")
    products: list[Product] = Field(description="The products shown on the public page, by Arabic name.")


# ---- fairs ---------------------------------------------------------------------------------------

EditionKind = Literal["regional_fair", "thematic_fair", "communication_day", "consultation"]
EditionStatus = Literal["call_open", "call_closed", "selection_published", "running", "closed"]


class EditionItem(Schema):
    id: int
    region: str = Field(description="Region code, e.g. `03`.")
    kind: EditionKind
    number: int = Field(description="Edition number: 3 for the 3rd edition.")
    title_ar: str
    title_fr: str
    slogan_ar: str
    slogan_fr: str
    starts_on: date
    ends_on: date
    status: EditionStatus
    call_open: bool = Field(description="The call for exhibitors accepts applications now.")
    call_closes_at: datetime | None = Field(description="Deadline of the call (ISO 8601 with time zone).")
    url: str = Field(description="Absolute URL of the edition's public page (Arabic).")


class EditionPage(Schema):
    count: int
    items: list[EditionItem] = Field(description=f"At most {PAGE_SIZE} editions.")


class PoleItem(Schema):
    id: int
    kind: str = Field(description="`products`, `international`, `institutional`, `partners`, `agora`, …")
    name_ar: str
    name_fr: str
    capacity: int = Field(description="Capacity in exhibitors.")
    stands: int


class PartnerItem(Schema):
    name_ar: str
    name_fr: str
    role: Literal["organizer", "partner", "sponsor"]
    website: str
    logo: str | None


class EditionDetail(EditionItem):
    description_ar: str
    description_fr: str
    venue_ar: str
    venue_fr: str
    venue_address: str
    area_m2: int | None
    opens_at: str | None = Field(description="Daily opening time, `HH:MM`, Africa/Casablanca.")
    closes_at: str | None = Field(description="Daily closing time, `HH:MM`, Africa/Casablanca.")
    selection_published: bool
    poles: list[PoleItem]
    partners: list[PartnerItem]


class ExhibitorItem(OrganizationItem):
    pole: int | None = Field(description="Id of the pole the exhibitor shows in.")


class ExhibitorPage(Schema):
    count: int
    items: list[ExhibitorItem] = Field(description=f"At most {PAGE_SIZE} exhibitors.")
