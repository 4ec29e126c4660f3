"""The registry of SSE organizations (cooperatives, associations, mutuals, social enterprises),
their products and photos, the people who represent them, and imports."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from tadamon.core.models import BilingualNameMixin, Province, Region, RegionFromParent, bilingual
from tadamon.core.text import normalize


class LegalForm(models.TextChoices):
    COOPERATIVE = "cooperative", _("Cooperative")
    ASSOCIATION = "association", _("Association")
    MUTUAL = "mutual", _("Mutual")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")


class Sector(BilingualNameMixin, models.Model):  # noqa: DJ008 (the mixin gives __str__)
    """A sector of activity; the list is configurable by national administrators."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_food = models.BooleanField(_("food products"), default=False,
                                  help_text=_("Food products need a sanitary authorization (ONSSA)."))

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    @property
    def name(self):
        from django.utils.translation import get_language

        lang = (get_language() or "ar")[:2]
        if lang == "en" and self.name_en:
            return self.name_en
        return super().name


class Organization(BilingualNameMixin, models.Model):  # noqa: DJ008 (the mixin gives __str__)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices,
                                  default=LegalForm.COOPERATIVE)
    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    registration_number = models.CharField(
        _("registration number"), max_length=40, blank=True,
        help_text=_("For a cooperative, its number at the Office for Cooperation Development (ODCO)."))
    created_on = models.DateField(_("date of creation"), null=True, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"),
                               editable=False)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="organizations",
                                 verbose_name=_("province or prefecture"))
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="organizations",
                               verbose_name=_("sector"))
    activities = models.TextField(_("activities"), blank=True)
    members_total = models.PositiveIntegerField(_("members"), null=True, blank=True)
    members_women = models.PositiveIntegerField(_("women members"), null=True, blank=True)
    members_youth = models.PositiveIntegerField(_("members under 35"), null=True, blank=True)
    women_led = models.BooleanField(_("led by women"), default=False)
    leader_name = models.CharField(_("name of the leader"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    facebook = models.URLField(_("Facebook page"), blank=True)
    instagram = models.URLField(_("Instagram page"), blank=True)
    description_ar = models.TextField(_("description in Arabic"), blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/%Y/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    verified_at = models.DateTimeField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("verified by"))
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged",
                                    verbose_name=_("merged into"))
    # Normalized text the search indexes read (see core.text.normalize and registry.search).
    search_name = models.TextField(editable=False, blank=True, default="")
    search_body = models.TextField(editable=False, blank=True, default="")
    # The normalized names of its shown products, so that "عسل الزعتر" finds the cooperative that
    # sells it (kept up to date by registry.signals; see Organization.products_search_text).
    search_products = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["name_ar"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(fields=["legal_form", "registration_number"],
                                    condition=~models.Q(registration_number=""),
                                    name="unique_registration_per_legal_form"),
        ]
        indexes = [
            models.Index(fields=["region", "is_active"]),
            models.Index(fields=["province", "sector"]),
            models.Index(fields=["registration_number"]),
            # The public directory lists the shown organizations by name: counted and paged from
            # this index instead of scanning and sorting the whole table. The filters' columns are
            # in it too (PostgreSQL), so a filtered count or page never reads the table itself.
            models.Index(fields=["name_ar", "id"], condition=models.Q(is_active=True, merged_into__isnull=True),
                         include=["region", "province", "sector", "legal_form", "women_led"],
                         name="organization_directory_filters"),
        ]

    def get_absolute_url(self):
        return reverse("registry:organization", args=[self.pk])

    @staticmethod
    def absolute_urls():
        """A function ``pk -> URL`` giving what :meth:`get_absolute_url` gives, with the URL
        resolved once: for pages that link hundreds of organizations."""
        marker = 987654321
        prefix, suffix = reverse("registry:organization", args=[marker]).split(str(marker))
        return lambda pk: f"{prefix}{pk}{suffix}"

    @property
    def is_verified(self):
        return self.verified_at is not None

    description = bilingual("description")

    def refresh_search(self):
        sector = self.sector if self.sector_id else None
        self.search_name = normalize(f"{self.name_ar} {self.name_fr}")
        self.search_body = normalize(" ".join(filter(None, [
            self.description_ar, self.description_fr, self.activities,
            sector.name_ar if sector else "", sector.name_fr if sector else "", self.commune,
        ])))

    @staticmethod
    def products_search_text(products):
        """The ``search_products`` text of an organization with these products (shown ones only)."""
        return " ".join(p.search_name for p in products if p.is_active and p.search_name)

    @staticmethod
    def refresh_search_products(organization_id):
        """Read the shown products' names of one organization again and store them (two queries)."""
        names = Product.objects.with_scopes_disabled().filter(organization_id=organization_id, is_active=True) \
            .order_by("pk").values_list("search_name", flat=True)
        Organization.objects.with_scopes_disabled().filter(pk=organization_id).update(
            search_products=" ".join(n for n in names if n))

    def save(self, *args, **kwargs):
        if self.province_id:
            self.region_id = Province.objects.values_list("region_id", flat=True).get(pk=self.province_id)
        self.refresh_search()
        super().save(*args, **kwargs)


class ProductUnit(models.TextChoices):
    PIECE = "piece", _("piece")
    KG = "kg", _("kilogram")
    GRAM = "g", _("gram")
    LITRE = "l", _("litre")
    ML = "ml", _("millilitre")
    BOX = "box", _("box")
    PACK = "pack", _("pack")
    METRE = "m", _("metre")
    SQUARE_METRE = "m2", _("square metre")
    SERVICE = "service", _("service")


class Product(RegionFromParent, BilingualNameMixin, models.Model):  # noqa: DJ008 (the mixin gives __str__)
    region_parent = "organization"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="products",
                                     verbose_name=_("organization"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    description_ar = models.TextField(_("description in Arabic"), blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    category = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="products",
                                 verbose_name=_("category"))
    price = models.DecimalField(_("price (MAD)"), max_digits=10, decimal_places=2, null=True, blank=True,
                                help_text=_("Leave empty for a price on request."))
    unit = models.CharField(_("unit"), max_length=10, choices=ProductUnit.choices, default=ProductUnit.PIECE)
    sanitary_authorization = models.CharField(
        _("ONSSA sanitary authorization number"), max_length=60, blank=True,
        help_text=_("Required to sell food products at fairs."))
    terroir_label = models.BooleanField(_("terroir label"), default=False)
    origin_label = models.CharField(_("PGI / PDO label"), max_length=120, blank=True,
                                    help_text=_("Protected geographical indication or designation of origin."))
    is_active = models.BooleanField(_("shown"), default=True)
    search_name = models.TextField(editable=False, blank=True, default="")
    search_body = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["name_ar"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [
            models.Index(fields=["organization", "is_active"]), models.Index(fields=["region", "category"]),
            # The product list without a search, newest first: its pages read from here, never sort all,
            # and it is counted from here (filters and organization, without reading the rows).
            models.Index(fields=["-created_at", "id"], condition=models.Q(is_active=True), name="product_newest"),
            models.Index(fields=["region", "category", "organization"], condition=models.Q(is_active=True),
                         name="product_listed"),
        ]

    def get_absolute_url(self):
        return reverse("registry:product", args=[self.pk])

    description = bilingual("description")

    @property
    def price_on_request(self):
        return self.price is None

    def refresh_search(self):
        self.search_name = normalize(f"{self.name_ar} {self.name_fr}")
        category = self.category if self.category_id else None
        self.search_body = normalize(" ".join(filter(None, [
            self.description_ar, self.description_fr, category.name_ar if category else "",
            category.name_fr if category else "", self.origin_label,
        ])))

    def save(self, *args, **kwargs):
        self.refresh_search()
        super().save(*args, **kwargs)


class ProductPhoto(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos",
                                verbose_name=_("product"))
    image = models.ImageField(_("photo"), upload_to="products/%Y/%m/")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")

    def __str__(self):
        return self.image.name


class Representation(RegionFromParent, models.Model):
    """A user acts for an organization once regional staff have approved it (or they created it)."""

    #: Not shown on the public pages kept for visitors (core.pagecache): writing it keeps them.
    page_cache_exempt = True

    region_parent = "organization"

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations",
                             verbose_name=_("user"))
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="representations",
                                     verbose_name=_("organization"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    role_in_organization = models.CharField(_("your role in the organization"), max_length=100, blank=True)
    message = models.TextField(_("message"), blank=True)
    document = models.FileField(_("supporting document"), upload_to="claims/%Y/", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("requested on"), auto_now_add=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("representation")
        verbose_name_plural = _("representations")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_representation_per_user_and_org"),
        ]

    def __str__(self):
        return f"{self.user} → {self.organization}"


class ImportJob(models.Model):
    """One upload of an organizations file: validated, then imported in the background."""

    #: Not shown on the public pages kept for visitors (core.pagecache): writing it keeps them.
    page_cache_exempt = True

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")

    class Mode(models.TextChoices):
        VALID_ROWS = "valid_rows", _("import the valid rows, skip the others")
        ALL_OR_NOTHING = "all_or_nothing", _("import only if every row is valid")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("region"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255, blank=True)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.VALID_ROWS)
    dry_run = models.BooleanField(_("preview only"), default=True)
    language = models.CharField(max_length=8, default="ar")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return self.original_name or self.file.name

    @property
    def progress_percent(self):
        if not self.total_rows:
            return 0 if self.status in (self.Status.PENDING, self.Status.RUNNING) else 100
        return min(100, round(100 * self.processed_rows / self.total_rows))


class SearchTerm(models.Model):
    """Words of five letters or more found in the registry, under each one-letter deletion of
    them: looking up a query word's deletions finds the indexed words one typo away."""

    variant = models.CharField(max_length=100, db_index=True)
    term = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["variant", "term"], name="unique_search_variant")]

    def __str__(self):
        return f"{self.variant} → {self.term}"
