"""The statement PDF: readable text in the organization's language with every Croatian letter, nothing read
from outside the project's static files, data rendered as text. Rendering is slow-ish: few tests here."""

import os
import shutil
import socket
import subprocess
from datetime import date

import pytest

from billing import pdf
from billing.tests.factories import contract_make, entry_make, statement_make


def pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        problem = "pdftotext is not installed (apt-get install -y poppler-utils)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{problem}; REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
        pytest.skip(problem)
    path = tmp_path / "statement.pdf"
    path.write_bytes(content)
    command = [shutil.which("pdftotext"), "-enc", "UTF-8", str(path), "-"]
    result = subprocess.run(command, capture_output=True, check=True)  # noqa: S603 (a fixed command)
    return result.stdout.decode()


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to open a network connection is recorded and refused."""
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network refused in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: refuse(None, host))
    return attempts


def test_the_pdf_speaks_croatian_with_every_diacritic(organization, consultant, tmp_path):
    organization.language = "hr"
    organization.name = "Čakovečki mlinovi d.d."
    organization.save()
    consultant.full_name = "Đurđa Šimić-Žužić"
    consultant.save()
    contract_make(organization, included_hours="1")
    entry_make(
        organization, consultant, day=date(2026, 3, 4), minutes=150, description="Obuka: č ć đ š ž Č Ć Đ Š Ž"
    )

    statement = statement_make(organization, period=date(2026, 3, 1), pdf=True)
    text = pdf_text(statement.pdf.read(), tmp_path)

    assert "Obuka: č ć đ š ž Č Ć Đ Š Ž" in text
    assert "Čakovečki mlinovi d.d." in text
    assert "Đurđa Šimić-Žužić" in text
    assert "ožujak 2026" in text  # the month in Croatian, in small letters within the sentence
    assert statement.number in text
    # The totals as Croatian writes numbers: 1 extra hour 30 min at 60,00 = 90,00; 500,00 + 90,00 + PDV.
    assert "590,00" in text and "147,50" in text and "737,50" in text


def test_html_in_an_organizations_name_is_text_and_fetches_nothing(organization, tmp_path, no_network):
    organization.name = 'Evil <img src="http://203.0.113.9/pixel.png"> <b>Corp</b>'
    organization.save()
    contract_make(organization)

    statement = statement_make(organization, pdf=True)

    html = pdf.statement_html(statement)
    assert "&lt;img src=&quot;http://203.0.113.9/pixel.png&quot;&gt;" in html
    assert '<img src="http://' not in html
    text = pdf_text(statement.pdf.read(), tmp_path)
    assert '<img src="http://203.0.113.9/pixel.png">' in text
    assert "<b>Corp</b>" in text
    assert no_network == []


def test_the_fetcher_refuses_everything_but_the_projects_static_files(no_network):
    fetcher = pdf.url_fetcher_class()()
    for url in (
        "http://203.0.113.9/pixel.png",
        "https://example.com/x.css",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.com/x.png",
        "static:../../helpdesk/settings.py",
        "static:/etc/passwd",
        "static:billing/pdf/../../../../etc/hosts.css",
        "static:css/portal.js",
        "static:no/such/file.css",
    ):
        with pytest.raises(pdf.RefusedURL):
            fetcher.fetch(url)
    assert no_network == []
    response = fetcher.fetch("static:billing/pdf/statement.css")
    assert b"DejaVu Sans" in response.read()


def test_the_template_and_stylesheet_are_prepared_once_per_process(organization, monkeypatch):
    contract_make(organization)
    statement = statement_make(organization)
    pdf.statement_pdf(statement)
    calls = []
    monkeypatch.setattr(pdf, "get_template", lambda name: calls.append(name))
    pdf.statement_pdf(statement)
    assert calls == []
    assert pdf._prepared.cache_info().currsize == 1
