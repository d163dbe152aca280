"""The forms of the monitoring pages. Creating an installation or a token and revoking a token are done once
per sending (helpdesk.idempotency): a double click makes one token, not two."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from helpdesk.idempotency import OncePerSubmissionForm

from .models import AgentToken, Installation, Status


class TokenCreateForm(OncePerSubmissionForm):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=AgentToken._meta.get_field("name").max_length,
        help_text=_("Where the agent runs, e.g. “backup server, rotated 2026”."),
    )


class TokenRevokeForm(OncePerSubmissionForm):
    pass


class InstallationForm(OncePerSubmissionForm):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    name = forms.CharField(label=_("Name"), max_length=Installation._meta.get_field("name").max_length)
    environment = forms.ChoiceField(label=_("Environment"), choices=Installation.Environment.choices)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0]


class StaffFilterForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("All organizations"),
    )
    status = forms.TypedChoiceField(
        label=_("Status"),
        choices=[("", _("All states")), *reversed(Status.choices)],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
