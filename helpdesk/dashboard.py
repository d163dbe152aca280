"""Dashboard panels: each app registers its own in AppConfig.ready, the dashboard view shows them.

Keeps the base app free of imports from the apps built on it.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable  # (request) -> dict, or None to hide the panel for this user
    order: int = 50


PANELS: dict[str, list[Panel]] = {"customer": [], "staff": []}


def panel_register(kind: str, template: str, context: Callable, order: int = 50) -> None:
    if not any(panel.template == template for panel in PANELS[kind]):
        PANELS[kind].append(Panel(template, context, order))
        PANELS[kind].sort(key=lambda panel: panel.order)


def panels_for(request, kind: str) -> list[tuple[str, dict]]:
    shown = []
    for panel in PANELS[kind]:
        data = panel.context(request)
        if data is not None:
            shown.append((panel.template, data))
    return shown
