"""The forms of the statement pages (core): approve, dispute, generate now. Each is done once per sending
(helpdesk.idempotency): a double click approves or disputes once and generates one revision."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from helpdesk.idempotency import OncePerSubmissionForm
from helpdesk.limits import limit_length

from .money import month_start, previous_month
from .services import DISPUTE_COMMENT_MAX


class ApproveForm(OncePerSubmissionForm):
    pass


class DisputeForm(OncePerSubmissionForm):
    comment = forms.CharField(
        label=_("What is wrong with the statement?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Jupiter Software answers in a billing case and with a corrected statement."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["comment"], DISPUTE_COMMENT_MAX)


class ReviseForm(OncePerSubmissionForm):
    pass


class MonthField(forms.DateField):
    """A month as <input type="month"> sends it (2026-03), kept as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]

    def to_python(self, value):
        day = super().to_python(value)
        return month_start(day) if day else day


class GenerateForm(OncePerSubmissionForm):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.filter(is_active=True).order_by("name")
    )
    period = MonthField(label=_("Month"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].initial = previous_month(timezone.localdate())

    def clean_period(self) -> date:
        return self.cleaned_data["period"]
