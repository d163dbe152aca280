"""The named users the organization's production installations report per licensed module, for the licence
page (licensing.usage: registered in MonitoringConfig.ready). Test installations do not count: their users
are not the ones the licence is for."""

from licensing.usage import ModuleUsage

from .models import Installation, LicenceUsage


def licence_usage_by_module(organization, module_ids) -> dict[int, ModuleUsage]:
    """module id -> the latest count of each production installation; with several installations, the
    highest (and when it was measured). One query."""
    rows = LicenceUsage.objects.filter(
        installation__organization=organization,
        installation__environment=Installation.Environment.PRODUCTION,
        module_id__in=list(module_ids),
    ).values_list("module_id", "named_users", "measured_at")
    usage: dict[int, ModuleUsage] = {}
    for module_id, named_users, measured_at in rows:
        seen = usage.get(module_id)
        if seen is None:
            usage[module_id] = ModuleUsage(named_users=named_users, measured_at=measured_at)
            continue
        highest = named_users > seen.named_users
        usage[module_id] = ModuleUsage(
            named_users=named_users if highest else seen.named_users,
            measured_at=measured_at if highest else seen.measured_at,
            sources=seen.sources + 1,
        )
    return usage
