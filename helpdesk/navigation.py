"""The header's navigation: each app registers its entries in AppConfig.ready, the header shows those the
user's permissions allow (helpdesk.context_processors.navigation). Like the dashboard panels
(helpdesk.dashboard), this keeps the base app free of the names of the apps built on it."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    label: str  # a lazy translation
    url_name: str
    # Shown to holders of this codename, or of any of these codenames (global or in the current organization).
    perm: str | tuple[str, ...] | None
    order: int
    needs_organization: bool  # only while the user works in an organization (e.g. its member list)


ENTRIES: list[NavEntry] = []


def nav_register(
    label,
    url_name: str,
    *,
    perm: str | tuple[str, ...] | None = None,
    order: int = 50,
    needs_organization: bool = False,
) -> None:
    """Add an entry to the header (once: AppConfig.ready may run more than once in tests)."""
    if not any(entry.url_name == url_name for entry in ENTRIES):
        ENTRIES.append(NavEntry(label, url_name, perm, order, needs_organization))
        ENTRIES.sort(key=lambda entry: entry.order)


def nav_unregister(url_name: str) -> None:
    ENTRIES[:] = [entry for entry in ENTRIES if entry.url_name != url_name]


def nav_items(perms: frozenset[str], *, in_organization: bool) -> list[tuple[str, str]]:
    """(label, address) of the entries for a user holding `perms` where they work now."""
    return [
        (entry.label, reverse(entry.url_name))
        for entry in ENTRIES
        if _holds(perms, entry.perm) and (in_organization or not entry.needs_organization)
    ]


def _holds(perms: frozenset[str], wanted: str | tuple[str, ...] | None) -> bool:
    if wanted is None:
        return True
    return wanted in perms if isinstance(wanted, str) else any(perm in perms for perm in wanted)
