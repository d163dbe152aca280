"""Browser test of the member list at 390 px and 1366 px: each member's roles are a row of switches with
what each role may do, set with the keyboard alone; the administrator's own row keeps its ADMIN switch
fixed and has no deactivate button."""

import os

import pytest
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import Role
from cases.tests.test_browser_journeys import chromium, login  # noqa: F401  (fixtures)
from cases.tests.test_list_browser import LAPTOP, PHONE, csp_violations, screenshot
from tests.axe import assert_accessible

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390", "1366"])
def test_admin_sets_roles_with_switches_and_cannot_lock_themselves_out(
    chromium,  # noqa: F811
    live_server,
    admin_user,
    standard_user,
    viewport,
    transactional_db,
):
    from playwright.sync_api import expect

    organization = admin_user.memberships.get().organization
    own = Membership.objects.get(user=admin_user)
    other = Membership.objects.get(user=standard_user)
    context = chromium.new_context(base_url=live_server.url, locale="en-GB", viewport=viewport)
    context.set_default_timeout(8_000)
    page = context.new_page()
    page.console_messages = []
    page.on("console", lambda message: page.console_messages.append(message.text))
    try:
        login(page, admin_user)
        page.goto(reverse("accounts:member-list", args=[organization.pk]))

        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        expect(page.locator(".role-legend")).to_contain_text("Financial administrator")
        expect(page.locator(".role-legend")).to_contain_text("System administrator")
        expect(page.locator(f"#role-{own.pk}-ADMIN")).to_be_disabled()
        expect(page.locator(f"#role-{own.pk}-ADMIN")).to_be_checked()
        expect(page.locator(f"#member-{own.pk} .btn-outline-danger")).to_have_count(0)
        expect(page.locator(f"#member-{other.pk} .btn-outline-danger")).to_be_visible()
        switch = page.locator(f"#role-{other.pk}-FIN_ADMIN")
        box = page.locator(f"label[for=role-{other.pk}-FIN_ADMIN]").bounding_box()
        assert box["height"] >= 24 or switch.bounding_box()["height"] >= 20
        screenshot(page, f"member-list-{viewport['width']}")
        assert_accessible(page, where="the members page")

        switch.focus()
        page.keyboard.press("Space")
        page.keyboard.press("Tab")  # to the SYS_ADMIN switch
        page.keyboard.press("Tab")  # to "Save roles"
        page.keyboard.press("Enter")

        expect(page.locator(".alert-success")).to_contain_text(
            "The roles of Sara Standard have been changed."
        )
        expect(page.locator(f"#role-{other.pk}-FIN_ADMIN")).to_be_checked()
        assert Membership.objects.get(pk=other.pk).roles == [Role.STANDARD, Role.FIN_ADMIN]
        assert_accessible(page, where="the members page after saving roles")

        # The audit log names the change; on a phone its rows are cards, each value under its column's name.
        page.goto(reverse("accounts:audit-list"))
        first = page.locator("#audit-events tbody tr").first
        expect(first).to_contain_text("Financial administrator")
        expect(first.locator("td").first).to_have_attribute("data-label", "When")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        if viewport["width"] < 768:
            assert first.evaluate("row => getComputedStyle(row).display") == "block"
        assert_accessible(page, where="the audit log")
        assert csp_violations(page) == []
    finally:
        context.close()
