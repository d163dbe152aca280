"""The knowledge base: FAQ, the documentation library (process descriptions included) and news.

Texts are kept in Croatian and English side by side (`title_hr`, `title_en`, ...): an entry may exist in
one language only, and a reader of the other language sees it with a note (Bilingual.is_other_language).
Full text is a stored generated column per table, over both languages, in the portal's accent-insensitive
configuration (helpdesk.fulltext), so PostgreSQL keeps it current by itself.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.bilingual import (
    LANGUAGES,
    BilingualName,
    bilingual_constraints,
    current_language,
    one_language_at_least,
)
from helpdesk.fulltext import search_field


class FaqCategory(BilingualName):
    code = models.SlugField(_("code"), unique=True)

    class Meta(BilingualName.Meta):
        verbose_name = _("FAQ category")
        verbose_name_plural = _("FAQ categories")


class Bilingual(models.Model):
    """Content written in Croatian, English or both, published or kept as a draft."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title_hr = models.CharField(_("title (Croatian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @property
    def language(self) -> str:
        """The language the text is shown in: the reader's if it exists in it, else the other one."""
        wanted = current_language()
        if getattr(self, f"title_{wanted}"):
            return wanted
        return next((code for code in LANGUAGES if getattr(self, f"title_{code}")), wanted)

    @property
    def is_other_language(self) -> bool:
        return self.language != current_language()

    def text(self, name: str) -> str:
        return getattr(self, f"{name}_{self.language}")

    @property
    def title(self) -> str:
        return self.text("title")

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class FaqEntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Bilingual.Status.PUBLISHED)

    def with_votes(self):
        return self.annotate(
            helpful_count=models.Count("votes", filter=models.Q(votes__is_helpful=True)),
            unhelpful_count=models.Count("votes", filter=models.Q(votes__is_helpful=False)),
        )

    def for_list(self):
        return (
            self.select_related("category", "module")
            .defer("body_hr", "body_en", "search_vector")
            .with_votes()
        )

    def by_usefulness(self):
        """Most useful first: helpful minus unhelpful votes, then the most read, then the newest."""
        return self.alias(usefulness=models.F("helpful_count") - models.F("unhelpful_count")).order_by(
            "-usefulness", "-view_count", "-published_at", "-pk"
        )


class FaqEntry(Bilingual):
    """A question (title) and its answer (body, Markdown)."""

    category = models.ForeignKey(
        FaqCategory, verbose_name=_("category"), on_delete=models.PROTECT, null=True, blank=True
    )
    module = models.ForeignKey(
        "releases.Module",
        verbose_name=_("product module"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body_hr = models.TextField(_("answer (Croatian)"), blank=True)
    body_en = models.TextField(_("answer (English)"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    # Staff only ever see this link: the case belongs to one customer.
    source_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("source case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    search_vector = search_field(("title_hr", "A"), ("title_en", "A"), ("body_hr", "B"), ("body_en", "B"))

    objects = FaqEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["-published_at", "-pk"]
        # The knowledge base's own permissions, for all of FAQ, documents and news.
        permissions = [
            ("view_knowledge", _("Read the FAQ, documentation, process descriptions and news")),
            ("manage_knowledge", _("Write the FAQ, documentation and news")),
        ]
        constraints = bilingual_constraints(
            "faq",
            "title",
            "body",
            missing=_("Write the question and its answer in Croatian, English or both."),
            incomplete_hr=_("The Croatian question needs its answer, and the answer its question."),
            incomplete_en=_("The English question needs its answer, and the answer its question."),
        )
        indexes = [
            GinIndex(fields=["search_vector"], name="faq_search_idx"),
            models.Index(fields=["status", "-view_count"], name="faq_status_views_idx"),
        ]

    def get_absolute_url(self):
        return reverse("docs:faq-detail", args=[self.pk])

    @property
    def body(self) -> str:
        return self.text("body")


class FaqVote(models.Model):
    """One reader's answer to "Was this helpful?"; voting again changes it."""

    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_helpful = models.BooleanField(_("helpful"))
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "user"], name="faq_vote_once_per_user")]

    def __str__(self):
        return f"{self.entry_id} {self.user_id} {self.is_helpful}"


class DocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Bilingual.Status.PUBLISHED)

    def with_latest_version(self):
        latest = DocumentVersion.objects.filter(document=models.OuterRef("pk")).order_by("-created_at", "-pk")
        return self.annotate(
            latest_label=models.Subquery(latest.values("label")[:1]),
            latest_at=models.Subquery(latest.values("created_at")[:1]),
        )

    def for_list(self):
        return self.select_related("product", "module").defer("search_vector").with_latest_version()


class Document(Bilingual):
    """A manual, guide, release note or process description; its content is its versions."""

    class Kind(models.TextChoices):
        MANUAL = "manual", _("User manual")
        TECHNICAL = "technical", _("Technical guide")
        RELEASE_NOTES = "release_notes", _("Release notes")
        PROCESS = "process", _("Process description")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    product = models.ForeignKey(
        "releases.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    module = models.ForeignKey(
        "releases.Module",
        verbose_name=_("product module"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    summary_hr = models.TextField(_("summary (Croatian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    # A restricted document is for the organizations whose current licence has an active granule for its
    # module (docs.selectors.documents_visible_to, through helpdesk.permissions.audience_q).
    is_restricted = models.BooleanField(_("only for organizations that license the module"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    search_vector = search_field(
        ("title_hr", "A"), ("title_en", "A"), ("summary_hr", "B"), ("summary_en", "B")
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["title_hr", "title_en"]
        constraints = [
            models.CheckConstraint(
                condition=one_language_at_least("title"),
                name="document_has_language",
                violation_error_message=_("Give the title in Croatian, English or both."),
            ),
        ]
        indexes = [GinIndex(fields=["search_vector"], name="document_search_idx")]

    def get_absolute_url(self):
        return reverse("docs:document-detail", args=[self.pk])

    @property
    def summary(self) -> str:
        return self.text("summary")


def version_path(instance, filename):
    # The stored name is generated; the uploader's file name is kept only in `original_name`.
    return f"documents/{timezone.now():%Y/%m}/{instance.storage_key}"


class DocumentVersion(models.Model):
    """One version of a document: an uploaded file or a Markdown page."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    label = models.CharField(_("version"), max_length=40)
    notes = models.CharField(_("what changed"), max_length=300, blank=True)
    body = models.TextField(_("page (Markdown)"), blank=True)
    file = models.FileField(_("file"), upload_to=version_path, max_length=200, blank=True)
    storage_key = models.CharField(max_length=64, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    search_vector = search_field(("body", "C"))

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["document", "label"], name="document_version_unique_label"),
            models.UniqueConstraint(
                fields=["storage_key"],
                condition=~models.Q(storage_key=""),
                name="document_version_unique_key",
            ),
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(body="")) | (~models.Q(file="") & models.Q(body="")),
                name="document_version_file_or_page",
                violation_error_message=_("A version is either a file or a Markdown page."),
            ),
        ]
        indexes = [
            models.Index(fields=["document", "-created_at"], name="document_version_latest_idx"),
            GinIndex(fields=["search_vector"], name="document_version_search_idx"),
        ]

    def __str__(self):
        return f"{self.document_id} {self.label}"

    def get_absolute_url(self):
        return reverse("docs:version-detail", args=[self.document_id, self.pk])

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class NewsPostQuerySet(models.QuerySet):
    def live(self, now=None):
        """Published and due: a post with a future publish time stays hidden until then."""
        return self.filter(status=Bilingual.Status.PUBLISHED, publish_at__lte=now or timezone.now())

    def for_list(self):
        return self.defer("body_hr", "body_en", "search_vector")

    def with_read_by(self, user):
        return self.annotate(
            is_read=models.Exists(NewsRead.objects.filter(post=models.OuterRef("pk"), user=user))
        )


class NewsPost(Bilingual):
    """News from Jupiter Software to all customers or to chosen organizations."""

    summary_hr = models.TextField(_("summary (Croatian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    body_hr = models.TextField(_("text (Croatian)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    publish_at = models.DateTimeField(_("publish at"), default=timezone.now)
    # The audience rule is helpdesk.permissions.audience_q, the same as for restricted documents.
    is_restricted = models.BooleanField(_("only for chosen organizations"), default=False)
    organizations = models.ManyToManyField(
        "accounts.Organization", verbose_name=_("organizations"), blank=True, related_name="+"
    )
    send_email = models.BooleanField(_("send by e-mail to the audience"), default=False)
    # Claimed by the task that sends the e-mails (a conditional update), so they go out once.
    email_sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True, editable=False)
    search_vector = search_field(
        ("title_hr", "A"),
        ("title_en", "A"),
        ("summary_hr", "B"),
        ("summary_en", "B"),
        ("body_hr", "C"),
        ("body_en", "C"),
    )

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        ordering = ["-publish_at", "-pk"]
        constraints = bilingual_constraints(
            "news",
            "title",
            "body",
            missing=_("Write the title and the text in Croatian, English or both."),
            incomplete_hr=_("The Croatian title needs its text, and the text its title."),
            incomplete_en=_("The English title needs its text, and the text its title."),
        )
        indexes = [
            GinIndex(fields=["search_vector"], name="news_search_idx"),
            models.Index(fields=["status", "-publish_at"], name="news_status_publish_idx"),
        ]

    def get_absolute_url(self):
        return reverse("docs:news-detail", args=[self.pk])

    @property
    def summary(self) -> str:
        return self.text("summary")

    @property
    def body(self) -> str:
        return self.text("body")

    @property
    def is_scheduled(self) -> bool:
        return self.is_published and self.publish_at > timezone.now()


class NewsRead(models.Model):
    """A reader opened a post: it is no longer marked new for them."""

    post = models.ForeignKey(NewsPost, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="news_read_once_per_user")]

    def __str__(self):
        return f"{self.post_id} {self.user_id}"


class SuggestionView(models.Model):
    """A suggestion shown beside the new-case form was opened. `visit` tells one visit of the form from
    another (the time the form was loaded); a visit after which the user logged no case within
    selectors.DEFLECTION_WINDOW counts as deflected on the knowledge report."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    visit = models.CharField(max_length=20)
    faq = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(faq__isnull=True, document__isnull=False)
                | models.Q(faq__isnull=False, document__isnull=True),
                name="suggestion_view_one_target",
            )
        ]
        indexes = [models.Index(fields=["created_at"], name="suggestion_view_created_idx")]

    def __str__(self):
        return f"{self.user_id} {self.visit}"
