"""The header's navigation: each app registers its entries in AppConfig.ready, the header shows those the
user's permissions allow (helpdesk.context_processors.navigation). Like the dashboard panels
(helpdesk.dashboard), this keeps the base app free of the names of the apps built on it."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The header's drop-down menus: an entry names the one it belongs to (`menu=`). Up to FLAT_UP_TO entries
# stand side by side (a customer's few); more are grouped, so that the vendor admin's dozen stay on one line
# at 1200 px, in Croatian too. A menu stands where its first entry would.
FLAT_UP_TO = 6
MENUS = {
    "cases": _("Cases"),
    "products": _("Products"),
    "billing": pgettext_lazy("header menu", "Billing"),  # short: "Troškovi"
    "administration": _("Administration"),
}


@dataclass(frozen=True)
class NavEntry:
    label: str  # a lazy translation
    url_name: str
    # Shown to holders of this codename, or of any of these codenames (global or in the current organization).
    perm: str | tuple[str, ...] | None
    order: int
    needs_organization: bool  # only while the user works in an organization (e.g. its member list)
    menu: str | None = None  # a key of MENUS
    icon: str = ""  # a Bootstrap Icons name ({% icon %}), shown beside the label in menus


ENTRIES: list[NavEntry] = []


def nav_register(
    label,
    url_name: str,
    *,
    perm: str | tuple[str, ...] | None = None,
    order: int = 50,
    needs_organization: bool = False,
    menu: str | None = None,
    icon: str = "",
) -> None:
    """Add an entry to the header (once: AppConfig.ready may run more than once in tests)."""
    if menu is not None and menu not in MENUS:
        raise ValueError(f"Unknown header menu {menu!r}; the menus are {', '.join(MENUS)}")
    if not any(entry.url_name == url_name for entry in ENTRIES):
        ENTRIES.append(NavEntry(label, url_name, perm, order, needs_organization, menu, icon))
        ENTRIES.sort(key=lambda entry: entry.order)


def nav_unregister(url_name: str) -> None:
    ENTRIES[:] = [entry for entry in ENTRIES if entry.url_name != url_name]


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str = ""


@dataclass(frozen=True)
class NavMenu:
    label: str
    items: list[NavItem]


def nav_items(perms: frozenset[str], *, in_organization: bool) -> list[NavItem | NavMenu]:
    """The header's links and menus for a user holding `perms` where they work now, in their order."""
    shown = [
        entry
        for entry in ENTRIES
        if _holds(perms, entry.perm) and (in_organization or not entry.needs_organization)
    ]
    if len(shown) <= FLAT_UP_TO:
        return [NavItem(entry.label, reverse(entry.url_name), entry.icon) for entry in shown]
    result: list[NavItem | NavMenu] = []
    menus: dict[str, NavMenu] = {}
    for entry in shown:
        item = NavItem(entry.label, reverse(entry.url_name), entry.icon)
        if entry.menu is None:
            result.append(item)
        elif entry.menu in menus:
            menus[entry.menu].items.append(item)
        else:
            menus[entry.menu] = NavMenu(MENUS[entry.menu], [item])
            result.append(menus[entry.menu])
    # A menu with one entry is a plain link under the menu's (shorter) label.
    return [
        NavItem(part.label, part.items[0].url, part.items[0].icon)
        if isinstance(part, NavMenu) and len(part.items) == 1
        else part
        for part in result
    ]


def _holds(perms: frozenset[str], wanted: str | tuple[str, ...] | None) -> bool:
    if wanted is None:
        return True
    return wanted in perms if isinstance(wanted, str) else any(perm in perms for perm in wanted)
