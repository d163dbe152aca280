"""Browser journey of upgrade packages (Playwright driving Chromium against the live server): a SYS_ADMIN
opens "Upgrade packages" from the header, sees the upgrade path from the installed version, copies a
checksum with its button (the page's own script, under the portal's CSP) and downloads the package, whose
bytes hash to the checksum shown."""

import hashlib
import re

import pytest
from django.db import connections
from django.urls import reverse

from accounts.roles import Role
from licensing.tests.factories import licence_make
from releases import services
from releases.models import Release
from releases.tests.factories import PACKAGE, product_get, release_make
from tests.factories import PASSWORD, member_create
from tests.header import header_link
from tests.integration import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

TIMEOUT_MS = 8_000


@pytest.fixture
def new_page(live_server, monkeypatch):
    """new_page() opens a page in a desktop browser context. The test body runs inside Playwright's event
    loop, whose database connections Django's teardown does not see: the test closes them at its end."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

        def make():
            # A desktop (the header's navigation is expanded from 1200 px), allowed to use the clipboard.
            context = browser.new_context(
                base_url=live_server.url,
                locale="en-GB",
                viewport={"width": 1280, "height": 800},
                accept_downloads=True,
            )
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
            context.set_default_timeout(TIMEOUT_MS)
            return context.new_page()

        yield make
        browser.close()
    connections.close_all()


def test_a_sys_admin_follows_the_upgrade_path_and_downloads_a_package(
    new_page, transactional_db, organization, settings, tmp_path
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    licence_make(organization)
    sys_admin = member_create(organization, [Role.SYS_ADMIN], email="sistem@jadran.test", full_name="Stipe")
    release_make("2026.1", kind=Release.Kind.MINOR)
    release_make("2026.4", requires="2026.1")
    newest = release_make("2026.10", requires="2026.4", kind=Release.Kind.MAJOR)
    services.installed_version_set(
        organization=organization, product=product_get(), version="2026.1", by=None
    )
    package = newest.files.get()
    page = new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(reverse("accounts:login"))
    page.fill("#id_username", sys_admin.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))
    header_link(page, "Upgrade packages").click()

    expect(page).to_have_url(re.compile(r"/releases/$"))
    section = page.locator("#product-jupiter-erp")
    expect(section).to_contain_text("Installed: 2026.1")
    expect(section.locator(".upgrade-path li")).to_have_text(
        [re.compile(r"^2026\.4"), re.compile(r"^2026\.10")]
    )

    checksum = page.locator(f"#sha256-{package.pk}")
    expect(checksum).to_have_text(package.sha256)
    copy = page.locator(f'[data-copy-target="sha256-{package.pk}"]')
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == package.sha256

    with page.expect_download() as download_info:
        page.get_by_role("link", name=package.original_name).click()
    download = download_info.value
    assert download.suggested_filename == package.original_name
    with open(download.path(), "rb") as downloaded:
        content = downloaded.read()
    assert content == PACKAGE
    assert hashlib.sha256(content).hexdigest() == checksum.inner_text()
    assert errors == []  # the copy script ran under the portal's CSP, with nothing refused
    connections.close_all()  # this test's own rows were made in Playwright's context: their connection too
