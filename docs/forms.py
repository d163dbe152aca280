from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from helpdesk.bilingual import BilingualChoiceField
from helpdesk.files import validate_upload
from helpdesk.limits import FAQ_ANSWER_MAX, NEWS_TEXT_MAX, PAGE_MAX, SUMMARY_MAX, TOO_LONG, limit_length
from helpdesk.models import StagedUpload
from releases.models import Module, Product

from .models import Document, FaqCategory, FaqEntry, NewsPost
from .services import DOCUMENT_EXTENSIONS

MARKDOWN_HELP = _("Markdown: **bold**, *italic*, lists, tables and links. Scripts and HTML are removed.")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the knowledge base"), max_length=200, required=False)


class FaqFilterForm(forms.Form):
    category = BilingualChoiceField(
        label=_("Category"), queryset=FaqCategory.objects.filter(is_active=True), required=False
    )
    module = BilingualChoiceField(
        label=_("Product module"), queryset=Module.objects.filter(is_active=True), required=False
    )


class DocumentFilterForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.none(), required=False, empty_label=_("All products")
    )
    module = BilingualChoiceField(
        label=_("Product module"), queryset=Module.objects.filter(is_active=True), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Document.Kind.choices], required=False
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products


def audience_field(label, help_text) -> forms.ModelMultipleChoiceField:
    """The organizations a restricted post is for: the active ones (each form reads them anew)."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Organization.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text=help_text,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


class FaqForm(forms.ModelForm):
    category = BilingualChoiceField(
        label=_("Category"), queryset=FaqCategory.objects.filter(is_active=True), required=False
    )
    module = BilingualChoiceField(
        label=_("Product module"), queryset=Module.objects.filter(is_active=True), required=False
    )

    class Meta:
        model = FaqEntry
        fields = ["title_hr", "body_hr", "title_en", "body_en", "category", "module", "status"]
        labels = {
            "title_hr": _("Question (Croatian)"),
            "body_hr": _("Answer (Croatian)"),
            "title_en": _("Question (English)"),
            "body_en": _("Answer (English)"),
        }
        help_texts = {"body_hr": MARKDOWN_HELP, "body_en": MARKDOWN_HELP}
        widgets = {"body_hr": forms.Textarea(attrs={"rows": 8}), "body_en": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("body_hr", "body_en"):
            limit_length(self.fields[name], FAQ_ANSWER_MAX)


class DocumentForm(forms.ModelForm):
    # The first product is chosen until another is: most documents are about the main product.
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.filter(is_active=True), empty_label=None
    )
    module = BilingualChoiceField(
        label=_("Product module"), queryset=Module.objects.filter(is_active=True), required=False
    )

    class Meta:
        model = Document
        fields = [
            "title_hr",
            "summary_hr",
            "title_en",
            "summary_en",
            "kind",
            "product",
            "module",
            "is_restricted",
            "status",
        ]
        help_texts = {
            "is_restricted": _(
                "Shown only to the organizations whose current licence includes the module; staff always "
                "see it."
            )
        }
        widgets = {
            "summary_hr": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("summary_hr", "summary_en"):
            limit_length(self.fields[name], SUMMARY_MAX)
        if self.instance.product_id:  # a product no longer sold stays the choice of its old documents
            self.fields["product"].queryset = Product.objects.filter(
                Q(is_active=True) | Q(pk=self.instance.product_id)
            )


class VersionForm(forms.Form):
    """A new version: a file or a Markdown page. An accepted file is kept in `accepted_file` even when
    another field fails, so the view can stage it and the user need not upload it again."""

    label = forms.CharField(label=_("Version"), max_length=40, help_text=_("For example 2026.1 or 3.2."))
    notes = forms.CharField(label=_("What changed"), max_length=300, required=False)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, ZIP, HTML...; up to 25 MB. Programs and scripts are refused."),
    )
    body = forms.CharField(
        label=_("Or a Markdown page"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text=MARKDOWN_HELP,
        max_length=PAGE_MAX,
        error_messages={"max_length": TOO_LONG},
    )
    staged = forms.ModelChoiceField(
        queryset=StagedUpload.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staged"].queryset = StagedUpload.objects.filter(user=user)
        self.user = user
        self.accepted_file = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload:
            validate_upload(upload, by=self.user, also_allowed=DOCUMENT_EXTENSIONS)
            self.accepted_file = upload
        return upload

    def clean(self):
        cleaned = super().clean()
        given = [
            bool(cleaned.get("file")),
            bool((cleaned.get("body") or "").strip()),
            bool(cleaned.get("staged")),
        ]
        if not self.errors and sum(given) != 1:
            raise ValidationError(
                _("A version is either a file or a Markdown page: give exactly one of them.")
            )
        return cleaned


class NewsForm(forms.ModelForm):
    organizations = audience_field(_("Organizations"), _("Only for a post to chosen organizations."))
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        initial=timezone.now,
        help_text=_("A post with a later time stays hidden until then."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = NewsPost
        fields = [
            "title_hr",
            "summary_hr",
            "body_hr",
            "title_en",
            "summary_en",
            "body_en",
            "publish_at",
            "status",
            "is_restricted",
            "organizations",
            "send_email",
        ]
        labels = {"body_hr": _("Text (Croatian)"), "body_en": _("Text (English)")}
        help_texts = {"body_hr": MARKDOWN_HELP, "body_en": MARKDOWN_HELP}
        widgets = {
            "summary_hr": forms.Textarea(attrs={"rows": 2}),
            "summary_en": forms.Textarea(attrs={"rows": 2}),
            "body_hr": forms.Textarea(attrs={"rows": 8}),
            "body_en": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for language in ("hr", "en"):
            limit_length(self.fields[f"summary_{language}"], SUMMARY_MAX)
            limit_length(self.fields[f"body_{language}"], NEWS_TEXT_MAX)
