from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from helpdesk.bilingual import BilingualChoiceField
from helpdesk.forms import AttachmentsFormMixin
from helpdesk.idempotency import OncePerSubmissionForm
from helpdesk.limits import CASE_TEXT_MAX, STATUS_NOTE_MAX, TOO_LONG, TOO_LONG_CASE_TEXT
from licensing import selectors as licensing_selectors
from releases.models import Module

from .models import Case, Category


class CaseCreateForm(OncePerSubmissionForm, AttachmentsFormMixin):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = BilingualChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True))
    module = BilingualChoiceField(
        label=_("Product module"), queryset=Module.objects.filter(is_active=True), required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Case.Priority.choices, initial=Case.Priority.NORMAL
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=CASE_TEXT_MAX,
        error_messages={"max_length": TOO_LONG_CASE_TEXT},
        help_text=_("What happened, what you expected, and the steps to see it. Markdown is allowed."),
    )

    field_order = ["title", "category", "module", "priority", "description", "files"]

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = self._module_choices(organization)

    def _module_choices(self, organization) -> list:
        """The modules the organization licenses first, then the others, as two groups of the menu (one
        plain list when it licenses none). Any active module may still be chosen: a question may concern
        a module the organization is about to license."""
        field = self.fields["module"]
        licensed_ids = licensing_selectors.licensed_module_ids(organization)
        options = [(module.pk, field.label_from_instance(module)) for module in field.queryset]
        licensed = [option for option in options if option[0] in licensed_ids]
        if not licensed:
            return [("", field.empty_label), *options]
        others = [option for option in options if option[0] not in licensed_ids]
        groups = [(pgettext_lazy("module menu", "Licensed modules"), licensed)]
        if others:
            groups.append((pgettext_lazy("module menu", "Other modules"), others))
        return [("", field.empty_label), *groups]


class ReplyForm(OncePerSubmissionForm, AttachmentsFormMixin):
    body = forms.CharField(
        label=_("Reply"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=CASE_TEXT_MAX,
        error_messages={"max_length": TOO_LONG_CASE_TEXT},
    )
    is_internal = forms.BooleanField(
        label=_("Internal note (only Jupiter Software staff see it)"), required=False
    )

    def __init__(self, *args, can_write_internal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_write_internal:
            del self.fields["is_internal"]

    def clean(self):
        cleaned = super().clean()
        has_files = cleaned.get("files") or cleaned.get("staged")
        if not self.errors and not (cleaned.get("body") or "").strip() and not has_files:
            raise ValidationError(_("Write a reply or attach a file."))
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Case.Status.choices)
    note = forms.CharField(
        required=False, max_length=STATUS_NOTE_MAX, error_messages={"max_length": TOO_LONG}
    )


class AssignForm(forms.Form):
    consultant = forms.ModelChoiceField(label=_("Consultant"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = (
            User.objects.filter(is_active=True, groups__permissions__codename="work_case")
            .distinct()
            .order_by("full_name")
        )
