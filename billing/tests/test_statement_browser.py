"""Browser journey of a statement (Playwright driving Chromium against the live server): a FIN_ADMIN opens
the statement awaiting approval, downloads its PDF, approves it and sees it approved, with the e-invoice
offered; the approval carries the hash of the PDF they downloaded."""

import hashlib

import pytest

from billing.tests.factories import contract_make, entry_make, statement_make
from tests.test_browser import browser  # noqa: F401  (fixture)
from tests.test_paging_browser import TIMEOUT_MS, login

pytestmark = pytest.mark.browser


def test_a_fin_admin_downloads_and_approves_the_statement(
    browser,  # noqa: F811  (the Chromium fixture imported above)
    live_server,
    transactional_db,
    organization,
    fin_admin_user,
    consultant,
):
    from playwright.sync_api import expect

    contract_make(organization, included_hours="1")
    entry_make(organization, consultant, minutes=120, description="Year-end closing support")
    statement = statement_make(organization, pdf=True)
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": 1280, "height": 800},
        accept_downloads=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    login(page, fin_admin_user)

    page.goto(statement.get_absolute_url())
    expect(page.locator("#statement-summary [data-state]")).to_have_text("Awaiting approval")
    expect(page.locator("#statement-lines")).to_contain_text("Consultant hours above the included hours")
    expect(page.locator("#statement-lines")).to_contain_text("Year-end closing support")
    with page.expect_download() as download_info:
        page.click("#statement-pdf")
    downloaded = download_info.value
    assert downloaded.suggested_filename == f"{statement.number}.pdf"
    content = downloaded.path().read_bytes()
    assert content.startswith(b"%PDF")

    page.click("#statement-approve")
    expect(page.locator("#statement-summary [data-state]")).to_have_text("Approved")
    expect(page.locator("#statement-approval")).to_contain_text(hashlib.sha256(content).hexdigest())
    expect(page.locator("#statement-einvoice")).to_be_visible()
    expect(page.locator("#statement-approve")).to_have_count(0)
    statement.refresh_from_db()
    assert (statement.state, statement.approved_by) == ("approved", fin_admin_user)
    assert statement.approved_pdf_sha256 == hashlib.sha256(content).hexdigest()
    context.close()
