from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from helpdesk.idempotency import OncePerSubmissionForm
from helpdesk.limits import PAGE_MAX, limit_length

from . import selectors
from .models import Module, Product, Release, ReleaseFile, version_key

MARKDOWN_HELP = _("Markdown: **bold**, *italic*, lists, tables and links. Scripts and HTML are removed.")
VERSION_HELP = _("Numbers separated by dots, such as 2026.10 or 3.9.1.")


def _clean_version(value: str) -> str:
    value = value.strip()
    if value:
        version_key(value)  # raises the translated message
    return value


class ModuleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.product.name}: {obj.name}"


class SuggestionField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference} · {obj.title} ({obj.organization.name})"


class ReleaseForm(OncePerSubmissionForm):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.filter(is_active=True))
    version = forms.CharField(label=_("Version"), max_length=40, help_text=VERSION_HELP)
    kind = forms.ChoiceField(label=_("Kind"), choices=Release.Kind.choices)
    released_on = forms.DateField(label=_("Release date"), widget=forms.DateInput(attrs={"type": "date"}))
    requires_version = forms.CharField(
        label=_("Installs on version or newer"),
        max_length=40,
        required=False,
        help_text=_("The oldest installed version this release can be installed on; empty: any."),
    )
    notes_hr = forms.CharField(
        label=_("Release notes (Croatian)"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    notes_en = forms.CharField(
        label=_("Release notes (English)"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    modules = ModuleField(
        label=_("Modules it changes"),
        queryset=Module.objects.filter(is_active=True).select_related("product"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    delivered_cases = SuggestionField(
        label=_("Suggestions it delivers"),
        queryset=selectors.suggestion_cases(),
        required=False,
        help_text=_("Their reporters are told when the release is published."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, release: Release | None = None, **kwargs):
        if release is not None:
            kwargs.setdefault(
                "initial",
                {
                    "product": release.product_id,
                    "version": release.version,
                    "kind": release.kind,
                    "released_on": release.released_on,
                    "requires_version": release.requires_version,
                    "notes_hr": release.notes_hr,
                    "notes_en": release.notes_en,
                    "modules": list(release.modules.all()),
                    "delivered_cases": list(release.delivered_cases.all()),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["delivered_cases"].queryset = selectors.suggestion_cases()
        for name in ("notes_hr", "notes_en"):
            self.fields[name].help_text = MARKDOWN_HELP
            limit_length(self.fields[name], PAGE_MAX)
        if release is not None and release.is_published:
            # A published release keeps its product and version: customers and their paths refer to them.
            for name in ("product", "version"):
                self.fields[name].disabled = True

    def clean_version(self):
        return _clean_version(self.cleaned_data["version"])

    def clean_requires_version(self):
        return _clean_version(self.cleaned_data["requires_version"])


class ReleaseFileForm(OncePerSubmissionForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReleaseFile.Kind.choices)
    upload = forms.FileField(
        label=_("File"),
        help_text=_("Installers and scripts are allowed here; every file is scanned for viruses."),
    )


class InstalledVersionForm(OncePerSubmissionForm):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.filter(is_active=True).order_by("name")
    )
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.filter(is_active=True))
    version = forms.CharField(label=_("Installed version"), max_length=40, help_text=VERSION_HELP)

    def clean_version(self):
        value = _clean_version(self.cleaned_data["version"])
        if not value:
            raise ValidationError(_("Write the installed version."))
        return value
