"""The approved statement as an EN 16931 e-invoice in UBL 2.1 XML: well-formed, with the required business
terms, the OIBs of seller and buyer, the VAT breakdown and the lines; only after approval."""

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.einvoice import NS
from billing.tests.factories import contract_make, entry_make, statement_approved, statement_make

UBL = {"inv": NS[""], "cac": NS["cac"], "cbc": NS["cbc"]}


@pytest.fixture
def approved(organization, fin_admin_user, consultant):
    organization.address = "Riva 12\n21000 Split"
    organization.save()
    contract_make(organization, monthly_fee="500.00", included_hours="1", hourly_rate="60.00")
    entry_make(organization, consultant, day=date(2026, 3, 3), minutes=150)
    return statement_approved(organization, fin_admin_user, period=date(2026, 3, 1))


def download(client, statement) -> ET.Element:
    response = client.get(reverse("billing:statement-einvoice", args=[statement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert f'filename="e-racun-{statement.number}.xml"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(content)  # noqa: S314 (our own output; raises on XML that is not well-formed)


def text(root, path) -> str:
    element = root.find(path, UBL)
    assert element is not None, f"{path} is missing"
    return element.text


def test_the_einvoice_has_the_required_en16931_terms(approved, fin_admin_user, client_for, settings):
    root = download(client_for(fin_admin_user), approved)

    assert root.tag == f"{{{NS['']}}}Invoice"
    assert text(root, "cbc:CustomizationID") == "urn:cen.eu:en16931:2017"  # BT-24
    assert text(root, "cbc:ID") == approved.number  # BT-1
    assert text(root, "cbc:IssueDate") == approved.generated_at.astimezone().date().isoformat()  # BT-2
    assert text(root, "cbc:InvoiceTypeCode") == "380"  # BT-3
    assert text(root, "cbc:DocumentCurrencyCode") == "EUR"  # BT-5
    assert text(root, "cac:InvoicePeriod/cbc:StartDate") == "2026-03-01"
    assert text(root, "cac:InvoicePeriod/cbc:EndDate") == "2026-03-31"

    seller = "cac:AccountingSupplierParty/cac:Party"
    assert text(root, f"{seller}/cac:PartyLegalEntity/cbc:RegistrationName") == settings.VENDOR_NAME  # BT-27
    assert text(root, f"{seller}/cac:PartyTaxScheme/cbc:CompanyID") == f"HR{settings.VENDOR_OIB}"  # BT-31
    assert text(root, f"{seller}/cac:PostalAddress/cac:Country/cbc:IdentificationCode") == "HR"  # BT-40
    buyer = "cac:AccountingCustomerParty/cac:Party"
    organization = approved.organization
    assert text(root, f"{buyer}/cac:PartyLegalEntity/cbc:RegistrationName") == organization.name  # BT-44
    assert text(root, f"{buyer}/cac:PartyTaxScheme/cbc:CompanyID") == f"HR{organization.oib}"  # BT-48
    assert text(root, f"{buyer}/cac:PartyLegalEntity/cbc:CompanyID") == organization.oib  # BT-47
    assert text(root, f"{buyer}/cac:PostalAddress/cbc:CityName") == "Split"
    assert text(root, f"{buyer}/cac:PostalAddress/cbc:PostalZone") == "21000"

    # 500.00 + 1.5 h × 60.00 = 590.00; PDV 25 % = 147.50; 737.50.
    assert text(root, "cac:TaxTotal/cbc:TaxAmount") == "147.50"  # BT-110
    assert root.find("cac:TaxTotal/cbc:TaxAmount", UBL).get("currencyID") == "EUR"
    subtotal = "cac:TaxTotal/cac:TaxSubtotal"
    assert text(root, f"{subtotal}/cbc:TaxableAmount") == "590.00"  # BT-116
    assert text(root, f"{subtotal}/cbc:TaxAmount") == "147.50"  # BT-117
    assert text(root, f"{subtotal}/cac:TaxCategory/cbc:ID") == "S"  # BT-118
    assert text(root, f"{subtotal}/cac:TaxCategory/cbc:Percent") == "25.00"  # BT-119
    totals = "cac:LegalMonetaryTotal"
    assert text(root, f"{totals}/cbc:LineExtensionAmount") == "590.00"  # BT-106
    assert text(root, f"{totals}/cbc:TaxExclusiveAmount") == "590.00"  # BT-109
    assert text(root, f"{totals}/cbc:TaxInclusiveAmount") == "737.50"  # BT-112
    assert text(root, f"{totals}/cbc:PayableAmount") == "737.50"  # BT-115

    lines = root.findall("cac:InvoiceLine", UBL)  # BG-25
    assert [text(line, "cbc:ID") for line in lines] == ["1", "2", "3"]
    assert [text(line, "cbc:InvoicedQuantity") for line in lines] == ["1.00", "1.00", "1.50"]
    assert [line.find("cbc:InvoicedQuantity", UBL).get("unitCode") for line in lines] == ["MON", "HUR", "HUR"]
    amounts = [Decimal(text(line, "cbc:LineExtensionAmount")) for line in lines]
    assert amounts == [Decimal("500.00"), Decimal("0.00"), Decimal("90.00")]
    assert sum(amounts) == Decimal(text(root, f"{totals}/cbc:LineExtensionAmount"))  # BR-CO-10
    assert all(text(line, "cac:Item/cbc:Name") for line in lines)  # BT-153
    assert [text(line, "cac:Price/cbc:PriceAmount") for line in lines] == ["500.00", "0.00", "60.00"]


def test_xml_special_characters_in_names_stay_well_formed(organization, fin_admin_user, client_for):
    organization.name = 'Ribe & Rakovi <d.o.o.> "Čista" luka'
    organization.save()
    statement = statement_approved(organization, fin_admin_user)
    root = download(client_for(fin_admin_user), statement)
    name = "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"
    assert text(root, name) == 'Ribe & Rakovi <d.o.o.> "Čista" luka'


def test_no_einvoice_before_approval(organization, fin_admin_user, client_for):
    statement = statement_make(organization)
    response = client_for(fin_admin_user).get(reverse("billing:statement-einvoice", args=[statement.pk]))
    assert response.status_code == 404
