"""Every change to monitoring: storing an agent's results (and the current state they imply), its reported
versions and licence usage, and the agents' tokens.

Ingestion is set-based: a batch of any size costs the same few statements (components and checks looked up
and created by name, results inserted with ON CONFLICT DO NOTHING, the latest results upserted only by a
newer measurement, then one UPDATE each for the touched components and the installation)."""

import json
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.limits import check_length
from helpdesk.models import AuditEvent
from helpdesk.services import audit_record
from releases import services as releases_services
from releases.models import InstalledVersion, Module, Product, version_key

from . import incidents
from .models import (
    AgentToken,
    Check,
    Component,
    Installation,
    InstallationVersion,
    LicenceUsage,
    Status,
)

# A check is overdue (its latest result shown UNKNOWN) after this many of its intervals without a result.
STALE_INTERVALS = 3
# A token's last use is written at most this often: an agent posting every few seconds costs no UPDATE each.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)
TOKEN_NAME_MAX = 100


@dataclass(frozen=True)
class IngestOutcome:
    accepted: int
    duplicates: int


# --- Ingestion ----------------------------------------------------------------------------------------------


@transaction.atomic
def results_ingest(
    *, installation: Installation, results: list[dict], versions=(), licence_usage=(), now=None
) -> IngestOutcome:
    """Store a batch of an installation's validated results, all or nothing. A result already stored (same
    check and measured_at), or repeated within the batch, is counted as a duplicate and changes nothing.
    Each result dict holds component, check, status (a Status), measured_at (aware) and optionally value,
    unit, message, kind (used when the component is new) and interval (seconds, when the check is new).
    Raises ValidationError keyed "versions.<index>.product", "licence_usage.<index>.module"... for an
    unknown product or module code or a bad version, before anything is written."""
    now = now or timezone.now()
    version_rows, version_errors = _versions_resolve(versions)
    usage_rows, usage_errors = _licence_usage_resolve(licence_usage)
    if version_errors or usage_errors:
        raise ValidationError({**version_errors, **usage_errors})

    unique = {}
    for item in results:
        unique.setdefault((item["component"], item["check"], item["measured_at"]), item)
    items = list(unique.values())
    accepted = 0
    if items:
        # Batches of one installation take turns: each computes the worst states from what the previous
        # committed (a statement's snapshot would miss rows committed while it waited for a lock).
        list(Installation.objects.select_for_update().filter(pk=installation.pk).values_list("pk"))
        checks = _checks_get_or_create(installation, items)
        accepted = _results_insert(checks, items)
        _state_update(installation, checks, items, now)
    if version_rows:
        _versions_store(installation, version_rows, now)
    if usage_rows:
        LicenceUsage.objects.bulk_create(
            [
                LicenceUsage(installation=installation, module=module, named_users=users, measured_at=now)
                for module, users in usage_rows
            ],
            update_conflicts=True,
            unique_fields=["installation", "module"],
            update_fields=["named_users", "measured_at"],
        )
    return IngestOutcome(accepted=accepted, duplicates=len(results) - accepted)


def _versions_resolve(versions) -> tuple[list[tuple[Product, str, list[int]]], dict]:
    """The reported versions with their products (the last report of a product winning), and the errors."""
    if not versions:
        return [], {}
    products = Product.objects.in_bulk([item["product"] for item in versions], field_name="code")
    errors, rows = {}, {}
    for index, item in enumerate(versions):
        product = products.get(item["product"])
        if product is None:
            errors[f"versions.{index}.product"] = _("There is no product with this code.")
            continue
        try:
            rows[product.pk] = (product, item["version"], version_key(item["version"]))
        except ValidationError as error:
            errors[f"versions.{index}.version"] = error.messages
    return list(rows.values()), errors


def _licence_usage_resolve(licence_usage) -> tuple[list[tuple[Module, int]], dict]:
    if not licence_usage:
        return [], {}
    modules = Module.objects.in_bulk([item["module"] for item in licence_usage], field_name="code")
    errors, rows = {}, {}
    for index, item in enumerate(licence_usage):
        module = modules.get(item["module"])
        if module is None:
            errors[f"licence_usage.{index}.module"] = _("There is no product module with this code.")
            continue
        rows[module.pk] = (module, item["named_users"])
    return list(rows.values()), errors


@dataclass(frozen=True)
class _CheckRef:
    pk: int
    component_id: int
    interval: int


def _checks_get_or_create(installation: Installation, items: list[dict]) -> dict[tuple[str, str], _CheckRef]:
    """(component name, check name) -> the check, creating the components and checks seen for the first time
    (one SELECT of the installation's components and checks when all are known, as in an agent's steady
    state)."""
    kinds, wanted = {}, {}
    for item in items:
        kinds.setdefault(item["component"], item.get("kind") or Component.Kind.OTHER)
        wanted.setdefault((item["component"], item["check"]), item)
    components, checks = _installation_checks(installation)
    if any(name not in components for name in kinds):
        Component.objects.bulk_create(
            [
                Component(installation=installation, name=name, kind=kind)
                for name, kind in kinds.items()
                if name not in components
            ],
            ignore_conflicts=True,  # a concurrent batch may create the same one
        )
        components, checks = _installation_checks(installation)
    if any(key not in checks for key in wanted):
        default_interval = Check._meta.get_field("interval").default
        Check.objects.bulk_create(
            [
                Check(
                    component_id=components[component],
                    name=name,
                    unit=item.get("unit") or "",
                    interval=item.get("interval") or default_interval,
                )
                for (component, name), item in wanted.items()
                if (component, name) not in checks
            ],
            ignore_conflicts=True,
        )
        components, checks = _installation_checks(installation)
    return {key: checks[key] for key in wanted}


def _installation_checks(
    installation: Installation,
) -> tuple[dict[str, int], dict[tuple[str, str], _CheckRef]]:
    """The installation's components by name and checks by (component, check) name, in one query (bounded by
    what its agent reports)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT component.name, component.id, c.name, c.id, c.interval
            FROM monitoring_component component
                LEFT JOIN monitoring_check c ON c.component_id = component.id
            WHERE component.installation_id = %s
            """,
            [installation.pk],
        )
        rows = cursor.fetchall()
    components = {component: component_id for component, component_id, _name, _pk, _interval in rows}
    checks = {
        (component, name): _CheckRef(pk, component_id, interval)
        for component, component_id, name, pk, interval in rows
        if pk is not None
    }
    return components, checks


# The rows go to PostgreSQL as one JSON text: binding 500 rows as arrays costs more in Python than the
# statement does in the database.
RESULT_COLUMNS = (
    "check_item_id bigint, status smallint, value float8, unit text, message text, measured_at timestamptz"
)


def _rows_json(checks: dict, items: list[dict], **extra_columns: list) -> str:
    rows = [
        {
            "check_item_id": checks[item["component"], item["check"]].pk,
            "status": int(item["status"]),
            "value": item.get("value"),
            "unit": item.get("unit") or "",
            "message": item.get("message") or "",
            "measured_at": item["measured_at"].isoformat(),
        }
        for item in items
    ]
    for name, values in extra_columns.items():
        for row, value in zip(rows, values, strict=True):
            row[name] = value
    # Two batches of one installation lock the same index entries and rows in the same order: no deadlock.
    rows.sort(key=lambda row: (row["check_item_id"], row["measured_at"]))
    return json.dumps(rows)


def _results_insert(checks: dict, items: list[dict]) -> int:
    """Insert the results that are new; how many were."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO monitoring_result (check_item_id, status, value, unit, message, measured_at)
            SELECT * FROM json_to_recordset(%s::json) AS batch ({RESULT_COLUMNS})
            ON CONFLICT (check_item_id, measured_at) DO NOTHING
            """,  # noqa: S608 (constant column list)
            [_rows_json(checks, items)],
        )
        return cursor.rowcount


def _state_update(installation: Installation, checks: dict, items: list[dict], now) -> None:
    """Move each check's latest result forward (never back), then its component's and the installation's
    worst state, and let the incidents follow."""
    newest = {}
    for item in items:
        key = (item["component"], item["check"])
        if key not in newest or item["measured_at"] > newest[key]["measured_at"]:
            newest[key] = item
    stale_after = [
        (item["measured_at"] + timedelta(seconds=STALE_INTERVALS * checks[key].interval)).isoformat()
        for key, item in newest.items()
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO monitoring_latestresult AS latest
                (check_item_id, status, reported_status, is_stale, value, unit, message, measured_at,
                 stale_after)
            SELECT check_item_id, status, status, false, value, unit, message, measured_at, stale_after
            FROM json_to_recordset(%s::json) AS batch ({RESULT_COLUMNS}, stale_after timestamptz)
            ON CONFLICT (check_item_id) DO UPDATE SET
                status = excluded.status, reported_status = excluded.reported_status, is_stale = false,
                value = excluded.value, unit = excluded.unit, message = excluded.message,
                measured_at = excluded.measured_at, stale_after = excluded.stale_after
            WHERE excluded.measured_at > latest.measured_at
            RETURNING check_item_id, measured_at
            """,  # noqa: S608 (constant column list)
            [_rows_json(checks, list(newest.values()), stale_after=stale_after)],
        )
        moved = dict(cursor.fetchall())
    if not moved:
        return
    # A component's new state dates from its newest measurement (a buffered batch may arrive late), never
    # from the future of a fast clock.
    changed_at = {}
    component_of = {ref.pk: ref.component_id for ref in checks.values()}
    for check_id, measured_at in moved.items():
        component_id = component_of[check_id]
        changed_at[component_id] = min(max(changed_at.get(component_id, measured_at), measured_at), now)
    to_evaluate = components_status_update(changed_at)
    installation_status_update(installation, last_result_at=max(changed_at.values()))
    if to_evaluate:
        incidents.components_evaluate(to_evaluate, now=now)


def components_status_update(changed_at: dict[int, object]) -> list[int]:
    """Set each component's state to the worst of its checks' latest states; `status_since` moves to
    changed_at[component] only when the state changes. The ids of the components whose state changed or
    is critical (the ones the incidents must look at)."""
    ids = list(changed_at)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH worst AS (
                SELECT c.component_id, MAX(l.status) AS status
                FROM monitoring_check c JOIN monitoring_latestresult l ON l.check_item_id = c.id
                WHERE c.component_id = ANY(%s::bigint[])
                GROUP BY c.component_id
            ), before AS (
                SELECT id, status FROM monitoring_component WHERE id = ANY(%s::bigint[])
                ORDER BY id FOR UPDATE
            ), since AS (
                SELECT * FROM unnest(%s::bigint[], %s::timestamptz[]) AS s (component_id, changed_at)
            )
            UPDATE monitoring_component component
            SET status = worst.status,
                status_since = CASE WHEN before.status <> worst.status THEN since.changed_at
                                    ELSE component.status_since END
            FROM worst, before, since
            WHERE component.id = worst.component_id AND before.id = worst.component_id
                AND since.component_id = worst.component_id
            RETURNING component.id, before.status <> worst.status, worst.status
            """,
            [ids, ids, ids, list(changed_at.values())],
        )
        return sorted(pk for pk, changed, status in cursor.fetchall() if changed or status == Status.CRITICAL)


def installation_status_update(installation: Installation, *, last_result_at=None) -> None:
    """The installation's state: the worst of its components' (UNKNOWN without any); and its newest result."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE monitoring_installation installation
            SET status = COALESCE(
                    (SELECT MAX(status) FROM monitoring_component WHERE installation_id = installation.id),
                    %s),
                last_result_at = GREATEST(installation.last_result_at, %s)
            WHERE installation.id = %s
            RETURNING status, last_result_at
            """,
            [int(Status.UNKNOWN), last_result_at, installation.pk],
        )
        installation.status, installation.last_result_at = cursor.fetchone()


def _versions_store(installation: Installation, rows: list, now) -> None:
    """Keep the installation's reported versions; a production installation's also become the
    organization's installed version (recorded, and audited, only when it changes)."""
    InstallationVersion.objects.bulk_create(
        [
            InstallationVersion(
                installation=installation, product=product, version=version, version_key=key, reported_at=now
            )
            for product, version, key in rows
        ],
        update_conflicts=True,
        unique_fields=["installation", "product"],
        update_fields=["version", "version_key", "reported_at"],
    )
    if installation.environment != Installation.Environment.PRODUCTION:
        return
    recorded = dict(
        InstalledVersion.objects.filter(
            organization_id=installation.organization_id, product__in=[product for product, _v, _k in rows]
        ).values_list("product_id", "version_key")
    )
    for product, version, key in rows:
        if recorded.get(product.pk) != key:
            releases_services.installed_version_set(
                organization=installation.organization, product=product, version=version, by=None
            )


# --- Agent tokens -------------------------------------------------------------------------------------------


@transaction.atomic
def token_create(*, installation: Installation, name: str, by) -> tuple[AgentToken, str]:
    """A new token for the installation's agent, and the token itself: shown once, only its digest is kept."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the server its agent runs on.")})
    try:
        check_length(name, TOKEN_NAME_MAX)
    except ValidationError as error:
        raise ValidationError({"name": error.messages}) from None
    raw = AgentToken.generate()
    token = AgentToken.objects.create(
        installation=installation,
        name=name,
        hint=raw[: AgentToken._meta.get_field("hint").max_length],
        digest=AgentToken.digest_of(raw),
        created_by=by,
    )
    audit_record(
        action=AuditEvent.Action.AGENT_TOKEN_CREATED,
        actor=by,
        organization=installation.organization,
        target=token,
        details={"installation": installation.name, "hint": token.hint},
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: AgentToken, by) -> None:
    """Revoke the token: its next request is refused (tokens are looked up on every request, never cached).
    Revoking a revoked token changes nothing."""
    now = timezone.now()
    if not AgentToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=by
    ):
        return
    token.revoked_at, token.revoked_by = now, by
    audit_record(
        action=AuditEvent.Action.AGENT_TOKEN_REVOKED,
        actor=by,
        organization=token.installation.organization,
        target=token,
        details={"installation": token.installation.name, "hint": token.hint},
    )


def token_authenticate(raw: str, *, now=None) -> AgentToken | None:
    """The active token with this value (its installation loaded), or None. Its last use is written at most
    once a minute, by a conditional UPDATE that concurrent requests cannot repeat."""
    if not raw or not raw.startswith(AgentToken.PREFIX) or len(raw) > 200:
        return None
    token = (
        AgentToken.objects.active()
        .select_related("installation")
        .filter(digest=AgentToken.digest_of(raw))
        .first()
    )
    if token is None:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or token.last_used_at <= now - TOKEN_USE_RESOLUTION:
        AgentToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOKEN_USE_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token
