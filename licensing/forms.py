"""The vendor admin's licence forms. Each is sent twice: once to see the change (before -> after), once more,
unchanged in hidden fields, to confirm it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from helpdesk.bilingual import BilingualChoiceField
from helpdesk.idempotency import OncePerSubmissionForm
from helpdesk.limits import CHANGE_REASON_MAX, limit_length
from releases.models import Module, Product

from .models import Granule, Licence


def _date_field(label, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ChangeForm(OncePerSubmissionForm):
    """What every change asks: why. `seen` carries the licence's last change from the preview to the
    confirmation (licensing.services.licence_change refuses it if somebody changed the licence meanwhile)."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the licence changes (a contract, an order, a request): the history shows it."),
    )
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["reason"], CHANGE_REASON_MAX)


class TermsForm(ChangeForm):
    edition = forms.ChoiceField(label=_("Edition"), choices=Licence.Edition.choices)
    valid_from = _date_field(_("Valid from"))
    valid_until = _date_field(_("Valid until"))
    support_until = _date_field(
        _("Support (maintenance) until"), required=False, help_text=_("Empty: no support contract.")
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Products"),
        queryset=Product.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["edition", "valid_from", "valid_until", "support_until", "products", "reason"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end date cannot be before the start date."))
        return cleaned


class IssueForm(TermsForm):
    number = forms.CharField(label=_("Licence number"), max_length=40)
    copy_granules = forms.BooleanField(
        label=_("Carry the modules of the current licence over"), required=False, initial=True
    )

    field_order = ["number", *TermsForm.field_order, "copy_granules"]


class GranuleForm(ChangeForm):
    module = BilingualChoiceField(label=_("Module"), queryset=Module.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000)
    unit = forms.ChoiceField(label=_("Unit"), choices=Granule.Unit.choices)
    valid_from = _date_field(_("Valid from"), required=False, help_text=_("Empty: the licence's dates."))
    valid_until = _date_field(_("Valid until"), required=False)

    field_order = ["module", "quantity", "unit", "valid_from", "valid_until", "reason"]

    def __init__(self, *args, licence: Licence, granule: Granule | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if granule is None:
            # A new module: one of the licence's products that the licence does not have yet.
            self.fields["module"].queryset = (
                Module.objects.filter(is_active=True, product__licences=licence)
                .exclude(granules__licence=licence)
                .select_related("product")
            )
        else:
            del self.fields["module"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            raise ValidationError(_("The end date cannot be before the start date."))
        return cleaned


class LicenceFilterForm(forms.Form):
    q = forms.CharField(label=_("Organization"), max_length=100, required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *Licence.State.choices, ("none", _("No licence"))],
    )
