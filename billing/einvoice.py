"""An approved statement as an EN 16931 e-invoice in UBL 2.1 XML, the form Croatian accounting software
imports (e-invoicing between companies is mandatory from 2026).

Written with the standard library's ElementTree (lxml is not a dependency). The elements come in the order
the UBL 2.1 schema requires; the comments name the EN 16931 business terms (BT-) and groups (BG-). The
seller is the vendor (settings.VENDOR_*), the buyer the organization; both are identified by their OIB,
the VAT identifier being "HR" + OIB. Every line is standard-rated (category S) at the statement's rate.
"""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from .models import Statement
from .selectors import statement_lines

NS = {
    "": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017"
INVOICE_TYPE = "380"  # a commercial invoice (UNTDID 1001)
SEPA_CREDIT_TRANSFER = "58"  # UNTDID 4461
OIB_SCHEME = "9934"  # the electronic address scheme of Croatian VAT numbers (EAS)
PAYMENT_DAYS = 15

for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)


def _tag(name: str) -> str:
    prefix, _colon, local = name.rpartition(":")
    return f"{{{NS[prefix]}}}{local}"


def _add(parent, name: str, text=None, **attributes):
    element = ET.SubElement(parent, _tag(name), attributes)
    if text is not None:
        element.text = str(text)
    return element


def _amount(parent, name: str, value: Decimal, currency: str):
    return _add(parent, name, f"{value:.2f}", currencyID=currency)


def _address(parent, address: str) -> None:
    """BG-5 / BG-8: the street line, the postal code and city when the text ends with them, the country."""
    postal = _add(parent, "cac:PostalAddress")
    lines = [part.strip() for part in re.split(r"[\n,]", address or "") if part.strip()]
    city_line = lines[-1] if lines else ""
    match = re.fullmatch(r"(\d{5})\s+(.+)", city_line)
    street = ", ".join(lines[:-1] if match else lines)
    if street:
        _add(postal, "cbc:StreetName", street)
    if match:
        _add(postal, "cbc:CityName", match[2])
        _add(postal, "cbc:PostalZone", match[1])
    _add(_add(postal, "cac:Country"), "cbc:IdentificationCode", "HR")


def _party(parent, role: str, *, name: str, oib: str, address: str) -> None:
    party = _add(_add(parent, role), "cac:Party")
    _add(party, "cbc:EndpointID", oib, schemeID=OIB_SCHEME)  # BT-34 / BT-49
    _address(party, address)
    tax_scheme = _add(party, "cac:PartyTaxScheme")
    _add(tax_scheme, "cbc:CompanyID", f"HR{oib}")  # BT-31 / BT-48: the VAT identifier
    _add(_add(tax_scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal = _add(party, "cac:PartyLegalEntity")
    _add(legal, "cbc:RegistrationName", name)  # BT-27 / BT-44
    _add(legal, "cbc:CompanyID", oib)  # BT-30 / BT-47: the legal registration identifier


def _tax_category(parent, name: str, rate: Decimal) -> None:
    category = _add(parent, name)
    _add(category, "cbc:ID", "S")  # standard rate
    _add(category, "cbc:Percent", f"{rate:.2f}")
    _add(_add(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def statement_einvoice(statement: Statement) -> bytes:
    """The UBL 2.1 Invoice of an approved statement, as UTF-8 bytes with the XML declaration."""
    currency = statement.currency
    organization = statement.organization
    issued = timezone.localtime(statement.generated_at).date()
    lines = statement_lines(statement)

    invoice = ET.Element(_tag("Invoice"))
    _add(invoice, "cbc:CustomizationID", CUSTOMIZATION_ID)  # BT-24
    _add(invoice, "cbc:ID", statement.number)  # BT-1
    _add(invoice, "cbc:IssueDate", issued.isoformat())  # BT-2
    _add(invoice, "cbc:DueDate", (issued + timedelta(days=PAYMENT_DAYS)).isoformat())  # BT-9
    _add(invoice, "cbc:InvoiceTypeCode", INVOICE_TYPE)  # BT-3
    _add(invoice, "cbc:DocumentCurrencyCode", currency)  # BT-5
    _add(invoice, "cbc:BuyerReference", statement.number)  # BT-10
    period = _add(invoice, "cac:InvoicePeriod")  # BG-14
    _add(period, "cbc:StartDate", statement.period.isoformat())
    _add(period, "cbc:EndDate", statement.period_end.isoformat())
    _party(
        invoice,
        "cac:AccountingSupplierParty",
        name=settings.VENDOR_NAME,
        oib=settings.VENDOR_OIB,
        address=settings.VENDOR_ADDRESS,
    )
    _party(
        invoice,
        "cac:AccountingCustomerParty",
        name=organization.name,
        oib=organization.oib,
        address=organization.address,
    )
    payment = _add(invoice, "cac:PaymentMeans")  # BG-16
    _add(payment, "cbc:PaymentMeansCode", SEPA_CREDIT_TRANSFER)  # BT-81
    _add(payment, "cbc:PaymentID", statement.number)  # BT-83
    _add(_add(payment, "cac:PayeeFinancialAccount"), "cbc:ID", settings.VENDOR_IBAN)  # BT-84

    tax_total = _add(invoice, "cac:TaxTotal")
    _amount(tax_total, "cbc:TaxAmount", statement.vat_amount, currency)  # BT-110
    subtotal = _add(tax_total, "cac:TaxSubtotal")  # BG-23, one VAT rate
    _amount(subtotal, "cbc:TaxableAmount", statement.subtotal, currency)  # BT-116
    _amount(subtotal, "cbc:TaxAmount", statement.vat_amount, currency)  # BT-117
    _tax_category(subtotal, "cac:TaxCategory", statement.vat_rate)  # BT-118, BT-119

    totals = _add(invoice, "cac:LegalMonetaryTotal")  # BG-22
    _amount(totals, "cbc:LineExtensionAmount", statement.subtotal, currency)  # BT-106
    _amount(totals, "cbc:TaxExclusiveAmount", statement.subtotal, currency)  # BT-109
    _amount(totals, "cbc:TaxInclusiveAmount", statement.total, currency)  # BT-112
    _amount(totals, "cbc:PayableAmount", statement.total, currency)  # BT-115

    for line in lines:  # BG-25
        row = _add(invoice, "cac:InvoiceLine")
        _add(row, "cbc:ID", line.position)  # BT-126
        _add(row, "cbc:InvoicedQuantity", f"{line.quantity:.2f}", unitCode=line.unit)  # BT-129, BT-130
        _amount(row, "cbc:LineExtensionAmount", line.amount, currency)  # BT-131
        item = _add(row, "cac:Item")
        _add(item, "cbc:Name", line.description)  # BT-153
        _tax_category(item, "cac:ClassifiedTaxCategory", statement.vat_rate)  # BT-151, BT-152
        _amount(_add(row, "cac:Price"), "cbc:PriceAmount", line.unit_price, currency)  # BT-146

    return ET.tostring(invoice, encoding="utf-8", xml_declaration=True)


def einvoice_filename(statement: Statement) -> str:
    return f"e-racun-{statement.number}.xml"
