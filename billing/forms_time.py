"""The forms of consultant time: on a case page, as general work for an organization, and its change."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from helpdesk.idempotency import OncePerSubmissionForm
from helpdesk.limits import TIME_TEXT_MAX, limit_length

HOURS_AND_MINUTES = re.compile(r"^(\d{1,2}):([0-5]\d)$")
BAD_DURATION = _("Enter the duration as hours and minutes (1:30) or as hours (1,5).")


def duration_minutes(text: str) -> int:
    """Minutes of a duration typed as hours and minutes ("1:30") or as hours ("1,5", "1.5", "2")."""
    text = text.strip().replace(" ", "")
    if match := HOURS_AND_MINUTES.match(text):
        return int(match[1]) * 60 + int(match[2])
    try:
        hours = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValidationError(BAD_DURATION) from None
    if not hours.is_finite():
        raise ValidationError(BAD_DURATION)
    return int((hours * 60).to_integral_value())


class TimeEntryChangeForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    duration = forms.CharField(
        label=_("Duration"),
        max_length=10,
        help_text=_("Hours and minutes (1:30) or hours (1,5)."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )
    is_billable = forms.BooleanField(label=_("Billable"), required=False, initial=True)
    description = forms.CharField(
        label=_("What was done (the customer reads this)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    internal_note = forms.CharField(
        label=_("Internal note (only Jupiter Software staff see it)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["description"], TIME_TEXT_MAX)
        limit_length(self.fields["internal_note"], TIME_TEXT_MAX)

    def clean_duration(self) -> int:
        minutes = duration_minutes(self.cleaned_data["duration"])
        if minutes <= 0:
            raise ValidationError(_("The duration must be more than zero."))
        return minutes


class TimeEntryForm(OncePerSubmissionForm, TimeEntryChangeForm):
    """Time logged on a case: the case says the organization. Prefixed, as the case page has the reply form
    too."""

    prefix = "time"


class GeneralTimeForm(OncePerSubmissionForm, TimeEntryChangeForm):
    """General work for an organization (a training, an on-site day), not on a case."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.filter(is_active=True).order_by("name")
    )

    field_order = ["organization", "day", "duration", "is_billable", "description", "internal_note"]
