"""What other apps show on a case page, registered in their AppConfig.ready, so that cases imports none of
them (billing shows consultant time: entries in the timeline, the form to log time under it).

A provider is a function (case, user, *, internal) -> CasePagePart, where `internal` says whether the user
sees the vendor's side of the case. A timeline item has `created_at` (its place among the case's events)
and `timeline_template`, rendered with `entry` (the item) and `staff`; a block under the timeline is a
template and its context, rendered with `part` (that context).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CasePagePart:
    timeline_items: list = field(default_factory=list)
    below_timeline: tuple[str, dict] | None = None


PROVIDERS: list[Callable] = []


def case_page_register(provider: Callable) -> None:
    """Add a provider (once: AppConfig.ready may run more than once in tests)."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def case_page_parts(case, user, *, internal: bool) -> tuple[list, list[tuple[str, dict]]]:
    """Every provider's timeline items and blocks for this case and user."""
    items, blocks = [], []
    for provider in PROVIDERS:
        part = provider(case, user, internal=internal)
        items.extend(part.timeline_items)
        if part.below_timeline is not None:
            blocks.append(part.below_timeline)
    return items, blocks


def timeline_with(events: list, items: list) -> list:
    """The case's events and the other apps' items in one timeline, in the order they were recorded."""
    return sorted([*events, *items], key=lambda item: item.created_at)
