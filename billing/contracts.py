"""The preview of new contract terms (the vendor admin's first step, before billing.services.contract_save):
what the organization's contract history becomes, checked by the same rules as the save, without writing.

The save refuses what the preview refuses, on the locked organization row, so a preview that was right when
shown and wrong when confirmed (another vendor admin saved meanwhile) ends as the save's error on the form.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Organization

from . import selectors, services
from .models import SupportContract
from .money import cents, money_display


@dataclass(frozen=True)
class ContractRow:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ContractPlan:
    """New terms: the contract they replace (ended the day before they start), if any, and the new one."""

    organization: Organization
    previous: SupportContract | None
    new: SupportContract
    oib_before: str
    oib_after: str

    @property
    def previous_ends_on(self) -> date | None:
        return self.new.valid_from - timedelta(days=1) if self.previous else None

    def rows(self) -> list[ContractRow]:
        """Every term, before (the replaced contract) and after, and the OIB when it is corrected."""
        before, after = _terms(self.previous), _terms(self.new)
        rows = [ContractRow(str(label), before[key], after[key]) for key, label in _labels().items()]
        if self.oib_before != self.oib_after:
            rows.insert(0, ContractRow(_("Organization's OIB"), self.oib_before, self.oib_after))
        return rows


def _labels() -> dict[str, str]:
    return {
        "valid_from": _("Valid from"),
        "valid_until": _("Valid until"),
        "monthly_fee": _("Monthly fee (EUR, without VAT)"),
        "included_hours": _("Included consultant hours per month"),
        "hourly_rate": _("Hourly rate above the included hours (EUR)"),
        "sla_tier": _("SLA tier"),
        "vat_rate": _("VAT (PDV)"),
        "note": _("Note"),
    }


def _terms(contract: SupportContract | None) -> dict[str, str]:
    if contract is None:
        return dict.fromkeys(_labels(), "–")
    return {
        "valid_from": date_format(contract.valid_from, "SHORT_DATE_FORMAT"),
        "valid_until": (
            date_format(contract.valid_until, "SHORT_DATE_FORMAT")
            if contract.valid_until
            else _("until changed")
        ),
        "monthly_fee": money_display(contract.monthly_fee),
        "included_hours": money_display(contract.included_hours),
        "hourly_rate": money_display(contract.hourly_rate),
        "sla_tier": str(contract.get_sla_tier_display()),
        "vat_rate": f"{floatformat(contract.vat_rate, -2)} %",
        "note": contract.note or "–",
    }


def contract_preview(
    *,
    organization: Organization,
    oib: str,
    valid_from: date,
    valid_until: date | None,
    monthly_fee: Decimal,
    included_hours: Decimal,
    hourly_rate: Decimal,
    sla_tier: str,
    note: str = "",
) -> ContractPlan:
    """What saving these terms does, or the ValidationError the save would raise (contract_save's rules)."""
    services.contract_terms_check(
        organization=organization,
        oib=oib,
        valid_from=valid_from,
        valid_until=valid_until,
        amounts=(monthly_fee, included_hours, hourly_rate),
    )
    contracts = selectors.contracts_of(organization)
    previous = contracts.overlapping(valid_from, valid_until).order_by("-valid_from").first()
    new = SupportContract(
        organization=organization,
        valid_from=valid_from,
        valid_until=valid_until,
        monthly_fee=cents(monthly_fee),
        included_hours=Decimal(included_hours),
        hourly_rate=cents(hourly_rate),
        sla_tier=sla_tier,
        note=note,
    )
    return ContractPlan(organization, previous, new, organization.oib, oib)
