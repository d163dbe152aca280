from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

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

    # The mixin's file fields would come first: the text is what a reply is about, files follow.
    field_order = ["body", "is_internal", "files"]

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


class ConsultantChoiceField(forms.ModelChoiceField):
    """Each consultant with what the dispatcher weighs: whether they are available and their open cases."""

    def label_from_instance(self, user):
        state = _("available") if user.is_available else _("not available")
        load = ngettext("%(count)d open case", "%(count)d open cases", user.open_cases) % {
            "count": user.open_cases
        }
        return f"{user} ({state}, {load})"


class AssignForm(forms.Form):
    consultant = ConsultantChoiceField(label=_("Consultant"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One query: the consultants (a subquery, so the group join cannot multiply the count), their
        # availability and their open cases.
        workers = User.objects.filter(groups__permissions__codename="work_case").values("pk")
        open_statuses = [s for s in Case.Status.values if s not in (Case.Status.RESOLVED, Case.Status.CLOSED)]
        open_assigned = Q(assigned_cases__status__in=open_statuses)
        self.fields["consultant"].queryset = (
            User.objects.filter(is_active=True, pk__in=workers)
            .annotate(
                is_available=Coalesce(F("consultant_status__is_available"), False),
                open_cases=Count("assigned_cases", filter=open_assigned),
            )
            .order_by("full_name")
        )
