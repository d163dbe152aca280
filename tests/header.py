"""The header in browser tests: with many entries the header groups them in drop-down menus
(helpdesk/navigation.py), and below 1200 px they sit behind the toggler; `header_link` opens whatever hides
the link first."""


def header_link(page, name: str):
    """The header's link `name` (exact), visible: the collapsed menu and its drop-down opened if needed."""
    header = page.get_by_role("navigation", name="Main navigation")
    link = header.get_by_role("link", name=name, exact=True, include_hidden=True)
    if not link.is_visible():
        toggler = header.locator(".navbar-toggler")
        if toggler.is_visible():
            toggler.click()
        # `has` takes a locator of its own, not one inside `header`.
        menu = header.locator(".nav-item.dropdown").filter(
            has=page.get_by_role("link", name=name, exact=True, include_hidden=True)
        )
        if menu.count():
            menu.locator(".dropdown-toggle").click()
    return link
