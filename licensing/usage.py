"""How much of its licence an organization uses, as other apps measure it (monitoring: the named users its
production installations' agents report), shown beside the granules on the licence page. The measuring apps
register a provider from their AppConfig.ready, so licensing imports none of them.

A provider is a function (organization, module_ids) -> {module id: ModuleUsage} that costs one query for all
the modules.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .models import Granule, Licence

# From this share of the licensed quantity on, the page warns that the licence is nearly used up.
WARNING_SHARE = 0.9


@dataclass(frozen=True)
class ModuleUsage:
    named_users: int
    measured_at: datetime
    # How many installations reported the module; with several, `named_users` is the highest of them.
    sources: int = 1


PROVIDERS: list[Callable] = []


def usage_provider_register(provider: Callable) -> None:
    """Add a provider (once: AppConfig.ready may run more than once in tests)."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


@dataclass(frozen=True)
class GranuleUsage:
    used: int
    quantity: int
    measured_at: datetime
    sources: int

    @property
    def percent(self) -> int:
        return round(self.used * 100 / self.quantity)

    @property
    def state(self) -> str:
        """ "over" the licensed quantity, "near" it (from WARNING_SHARE on), or "ok"."""
        if self.used > self.quantity:
            return "over"
        return "near" if self.used >= self.quantity * WARNING_SHARE else "ok"

    @property
    def warning_from(self) -> float:
        """Where the meter turns to a warning (its `high`)."""
        return self.quantity * WARNING_SHARE


def granules_with_usage(licence: Licence) -> list[tuple[Granule, GranuleUsage | None]]:
    """The licence's granules (prefetched), each with the usage reported for it: only for a current licence
    and granules counted in named users (what the agents count), else None."""
    granules = list(licence.granules.all())
    counted = [granule for granule in granules if granule.unit == Granule.Unit.NAMED_USERS]
    if not licence.is_current or not counted or not PROVIDERS:
        return [(granule, None) for granule in granules]
    module_ids = [granule.module_id for granule in counted]
    usage: dict[int, ModuleUsage] = {}
    for provider in PROVIDERS:
        for module_id, found in provider(licence.organization, module_ids).items():
            if module_id not in usage or found.named_users > usage[module_id].named_users:
                usage[module_id] = found
    rows = []
    for granule in granules:
        found = usage.get(granule.module_id) if granule.unit == Granule.Unit.NAMED_USERS else None
        if found is None:
            rows.append((granule, None))
            continue
        used = GranuleUsage(
            used=found.named_users,
            quantity=granule.quantity,
            measured_at=found.measured_at,
            sources=found.sources,
        )
        rows.append((granule, used))
    return rows
