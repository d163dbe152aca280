"""The forms of the billing pages: the filters of the services history, the analysis period and the vendor
admin's new contract terms (sent twice: once to see the change, once more, unchanged in hidden fields, to
save it)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from helpdesk.idempotency import OncePerSubmissionForm
from helpdesk.limits import CHANGE_REASON_MAX, limit_length
from releases.models import Module

from .models import SupportContract
from .oib import validate_oib
from .reports import GENERAL_WORK

ANALYSIS_MONTHS = (12, 24)


def _date_field(label, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ServiceFilterForm(forms.Form):
    """The filters of the history of consultant services (kept in the URL, shared by the export)."""

    date_from = _date_field(_("From"))
    date_to = _date_field(_("To"))
    consultant = forms.ModelChoiceField(label=_("Consultant"), queryset=None, required=False)
    case = forms.CharField(label=_("Case reference"), max_length=20, required=False)
    module = forms.ChoiceField(label=_("Product module"), required=False)
    billable = forms.ChoiceField(
        label=_("Billable"),
        required=False,
        choices=[("", _("Billable or not")), ("yes", _("Billable")), ("no", _("Not billable"))],
    )

    def __init__(self, *args, consultants, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = consultants
        self.fields["consultant"].label_from_instance = lambda user: user.full_name or user.email
        modules = Module.objects.filter(is_active=True).select_related("product")
        self.fields["module"].choices = [
            ("", _("All modules")),
            (GENERAL_WORK, _("General work (no case)")),
            *((str(module.pk), module.name) for module in modules),
        ]
        if not staff:  # customers see billable time only
            del self.fields["billable"]

    def clean_case(self) -> str:
        return self.cleaned_data["case"].strip()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return cleaned


class AnalysisForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        choices=[(12, _("Last 12 months")), (24, _("Last 24 months"))],
        initial=12,
        required=False,
        empty_value=12,
    )


def _money_field(label, help_text=""):
    return forms.DecimalField(
        label=label, help_text=help_text, min_value=0, max_digits=12, decimal_places=2, localize=True
    )


class ContractForm(OncePerSubmissionForm):
    """New terms of an organization's support contract, from a day on (the current contract ends the day
    before: billing.services.contract_save)."""

    oib = forms.CharField(
        label=_("Organization's OIB"),
        max_length=11,
        help_text=_("11 digits, the last a check digit; it goes on every statement and e-invoice."),
        validators=[validate_oib],
    )
    valid_from = _date_field(_("Valid from"), required=True)
    valid_until = _date_field(_("Valid until"), help_text=_("Empty: the contract runs until it is changed."))
    monthly_fee = _money_field(_("Monthly fee (EUR, without VAT)"))
    included_hours = forms.DecimalField(
        label=_("Included consultant hours per month"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        localize=True,
    )
    hourly_rate = _money_field(_("Hourly rate above the included hours (EUR, without VAT)"))
    sla_tier = forms.ChoiceField(label=_("SLA tier"), choices=SupportContract.SlaTier.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the terms change (an order, an annex to the contract): the history shows it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["note"], CHANGE_REASON_MAX)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The contract cannot end before it starts."))
        return cleaned

    def terms(self) -> dict:
        """The cleaned terms as billing.contracts.contract_preview and services.contract_save take them."""
        keys = (
            "valid_from",
            "valid_until",
            "monthly_fee",
            "included_hours",
            "hourly_rate",
            "sla_tier",
            "note",
        )
        return {key: self.cleaned_data[key] for key in keys}
