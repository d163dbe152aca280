"""The ingestion API: a monitoring agent posts its results with a token of its installation.

`POST /api/monitoring/results/` with `Authorization: Token <token>` and a JSON body. A batch is stored whole
or not at all: one invalid item refuses the batch (400 with the errors by item index) and stores nothing, so
an agent can resend a corrected batch without creating a partial history. A resent result (same component,
check and measured_at) is counted as a duplicate, so retrying after a lost answer is safe.

Validation of the results is hand-written rather than a nested DRF serializer: a serializer costs about a
millisecond per item, which at 1,000 items a batch is most of the ingestion's time budget. The serializers
below describe the payload to the OpenAPI schema; `result_clean` enforces the same rules.
"""

import math
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from helpdesk import throttle

from . import services
from .models import AgentToken, Component, Status

RESULTS_MAX = 1000
# 1,000 results with long messages fit easily; anything bigger is refused before it is read.
BODY_MAX_BYTES = 2 * 1024 * 1024
VERSIONS_MAX = 50
LICENCE_USAGE_MAX = 200
NAME_MAX = 100
UNIT_MAX = 20
MESSAGE_MAX = 500
VERSION_MAX = 40
CODE_MAX = 50
INTERVAL_MIN, INTERVAL_MAX = 10, 7 * 24 * 3600
# A clock a little ahead is tolerated; a result from further in the future would stay "current" too long.
FUTURE_TOLERANCE = timedelta(days=1)
# Older results would be rolled up and deleted by the retention at once: a clock far off, or a replay.
PAST_TOLERANCE = timedelta(days=365)
STATUS_NAMES = {member.name: member for member in Status}
KINDS = set(Component.Kind.values)


# --- Authentication, permission, throttling ---------------------------------------------------------------


class AgentTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <token>` only: no session, no token in the query string (it would be logged).
    Tokens are looked up on every request, so a revoked one is refused at once."""

    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as: Authorization: Token <token>."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = services.token_authenticate(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid, or it has been revoked."))
        # No person: the token is the credential (request.auth). Django's request.user stays an anonymous user
        # for the middleware that reads it after the view.
        return (AnonymousUser(), token)

    def authenticate_header(self, request):
        return self.keyword


class HasAgentToken(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, AgentToken)


class InstallationThrottle(BaseThrottle):
    """Per installation (whichever of its tokens), at throttle.RATES["monitoring-ingest"]."""

    def allow_request(self, request, view):
        key = throttle.fixed(f"installation:{request.auth.installation_id}")
        counted = throttle.usage(None, "monitoring-ingest", key=key)
        self.retry_after = max(counted["time_left"], 1) if counted and counted["should_limit"] else None
        return self.retry_after is None

    def wait(self):
        return self.retry_after


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request is too large.")
    default_code = "too_large"


def exception_handler(exc, context):
    """DRF's JSON answers, with validation errors under "errors" (as the results view gives them)."""
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": response.data}
    return response


class AgentTokenScheme(OpenApiAuthenticationExtension):
    target_class = AgentTokenAuthentication
    name = "agentToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>`: a token of the installation, created on its monitoring page.",
        }


# --- Validation ---------------------------------------------------------------------------------------------


def result_clean(item, now) -> tuple[dict | None, dict]:
    """One result of the payload as the service takes it, or its errors by field."""
    if not isinstance(item, dict):
        return None, {"non_field_errors": [_("Each result must be a JSON object.")]}
    errors, clean = {}, {}
    for field in ("component", "check"):
        value = _text(item.get(field), NAME_MAX, errors, field, required=True)
        clean[field] = value.strip() if value else value
        if value is not None and not clean[field]:
            errors[field] = [_("This field may not be blank.")]
    clean["unit"] = _text(item.get("unit"), UNIT_MAX, errors, "unit") or ""
    clean["message"] = _text(item.get("message"), MESSAGE_MAX, errors, "message") or ""

    state = item.get("status")
    clean["status"] = STATUS_NAMES.get(state.upper()) if isinstance(state, str) else None
    if clean["status"] is None:
        errors["status"] = [_("Give one of OK, WARNING, CRITICAL or UNKNOWN.")]

    clean["measured_at"] = _moment(item.get("measured_at"), now, errors)

    value = item.get("value")
    if value is not None:
        try:
            number = (
                None if isinstance(value, bool) else float(value) if isinstance(value, int | float) else None
            )
        except OverflowError:  # an integer of hundreds of digits
            number = None
        if number is None or not math.isfinite(number):
            errors["value"] = [_("Give a finite number, or leave the value out.")]
        else:
            clean["value"] = number

    kind = item.get("kind")
    if kind is not None:
        if kind not in KINDS:
            errors["kind"] = [_("Give one of: %(kinds)s.") % {"kinds": ", ".join(sorted(KINDS))}]
        clean["kind"] = kind

    interval = item.get("interval")
    if interval is not None:
        if (
            isinstance(interval, bool)
            or not isinstance(interval, int)
            or not INTERVAL_MIN <= interval <= INTERVAL_MAX
        ):
            errors["interval"] = [
                _("Give the interval in whole seconds, from %(min)d to %(max)d.")
                % {"min": INTERVAL_MIN, "max": INTERVAL_MAX}
            ]
        clean["interval"] = interval
    return (None if errors else clean), errors


def _text(value, limit: int, errors: dict, field: str, *, required=False) -> str | None:
    if value is None:
        if required:
            errors[field] = [_("This field is required.")]
        return None
    if not isinstance(value, str):
        errors[field] = [_("Give a text.")]
        return None
    if len(value) > limit:
        errors[field] = [_("At most %(limit)d characters are allowed.") % {"limit": limit}]
        return None
    if "\x00" in value or _unstorable(value):
        errors[field] = [_("This text holds characters that cannot be stored.")]
        return None
    return value


def _unstorable(value: str) -> bool:
    """A lone surrogate (JSON allows "\\ud800") has no UTF-8 form."""
    try:
        value.encode()
    except UnicodeEncodeError:
        return True
    return False


def _moment(value, now, errors: dict) -> datetime | None:
    if not isinstance(value, str):
        errors["measured_at"] = [_("This field is required.")] if value is None else [_("Give a text.")]
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        errors["measured_at"] = [
            _("Give the time in ISO 8601 with its offset from UTC, such as 2026-12-01T10:00:00+01:00.")
        ]
        return None
    try:
        if moment > now + FUTURE_TOLERANCE:
            errors["measured_at"] = [
                _("This time is more than a day in the future: check the agent's clock.")
            ]
            return None
        if moment < now - PAST_TOLERANCE:
            errors["measured_at"] = [_("This time is more than a year ago: check the agent's clock.")]
            return None
    except OverflowError:  # an offset that moves year 1 or 9999 out of range
        errors["measured_at"] = [_("This time is out of range: check the agent's clock.")]
        return None
    return moment


class ResultSerializer(serializers.Serializer):
    """One measurement (the schema's description; result_clean applies the rules)."""

    component = serializers.CharField(
        max_length=NAME_MAX, help_text=gettext_lazy("The component's name; a new name creates the component.")
    )
    check = serializers.CharField(
        max_length=NAME_MAX,
        help_text=gettext_lazy("The check's name within the component; a new name creates the check."),
    )
    status = serializers.ChoiceField(
        choices=[(name, name) for name in STATUS_NAMES],
        help_text=gettext_lazy("OK, WARNING, CRITICAL or UNKNOWN (any case)."),
    )
    value = serializers.FloatField(
        required=False, allow_null=True, help_text=gettext_lazy("The measured value.")
    )
    unit = serializers.CharField(
        max_length=UNIT_MAX,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("The value's unit, such as ms or GB."),
    )
    message = serializers.CharField(
        max_length=MESSAGE_MAX,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("What the agent saw, in a sentence; shown beside the state."),
    )
    measured_at = serializers.DateTimeField(
        help_text=gettext_lazy(
            "ISO 8601 with an offset (a time without one is refused), at most a day in the future and a "
            "year in the past. With the check, the result's identity: a resent result is a duplicate."
        )
    )
    kind = serializers.ChoiceField(
        choices=Component.Kind.choices,
        required=False,
        help_text=gettext_lazy("Used only when the component is new."),
    )
    interval = serializers.IntegerField(
        min_value=INTERVAL_MIN,
        max_value=INTERVAL_MAX,
        required=False,
        help_text=gettext_lazy(
            "Seconds between the check's results; used only when the check is new (default 300). "
            "A check silent for 3 intervals is shown as unknown."
        ),
    )


class VersionSerializer(serializers.Serializer):
    product = serializers.CharField(max_length=CODE_MAX, help_text=gettext_lazy("The product's code."))
    version = serializers.CharField(
        max_length=VERSION_MAX, help_text=gettext_lazy("Numbers separated by dots: 2026.10")
    )


class LicenceUsageSerializer(serializers.Serializer):
    module = serializers.CharField(max_length=CODE_MAX, help_text=gettext_lazy("The product module's code."))
    named_users = serializers.IntegerField(
        min_value=0, max_value=10_000_000, help_text=gettext_lazy("The module's named users counted now.")
    )


class BatchSerializer(serializers.Serializer):
    """The request body. The view validates the results itself (result_clean) and the rest with this."""

    results = ResultSerializer(
        many=True, help_text=gettext_lazy("1 to 1000 results. One invalid result refuses the whole batch.")
    )
    versions = VersionSerializer(
        many=True,
        required=False,
        max_length=VERSIONS_MAX,
        help_text=gettext_lazy("The products' versions it runs."),
    )
    licence_usage = LicenceUsageSerializer(
        many=True,
        required=False,
        max_length=LICENCE_USAGE_MAX,
        help_text=gettext_lazy("Named users per licensed module."),
    )


class OutcomeSerializer(serializers.Serializer):
    accepted = serializers.IntegerField(help_text=gettext_lazy("Results stored."))
    duplicates = serializers.IntegerField(
        help_text=gettext_lazy("Results already stored before (or twice in the batch).")
    )


def _errors_schema(name, description):
    return OpenApiResponse(
        response=inline_serializer(name, {"errors": serializers.DictField()}), description=description
    )


def _detail_schema(name, description):
    return OpenApiResponse(
        response=inline_serializer(name, {"detail": serializers.CharField()}), description=description
    )


DESCRIPTION = gettext_lazy(
    "Stores a batch of the installation's results. The batch is stored whole or not at all: if one item is "
    "invalid the answer is 400 with the errors by item index, and nothing is stored. A result sent again "
    "(same component, check and measured_at) is counted as a duplicate, so a batch may be resent safely."
)

# --- The view -----------------------------------------------------------------------------------------------


class ResultsView(APIView):
    # No session authentication, so no CSRF check is needed: a browser cannot add the Authorization header
    # to a cross-site request, and a cookie alone authenticates nothing here. (APIView is csrf_exempt.)
    authentication_classes = [AgentTokenAuthentication]
    permission_classes = [HasAgentToken]
    throttle_classes = [InstallationThrottle]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="monitoring_results_create",
        summary=gettext_lazy("Send an agent's results"),
        description=DESCRIPTION,
        request=BatchSerializer,
        responses={
            201: OpenApiResponse(OutcomeSerializer, description=gettext_lazy("The batch was stored.")),
            400: _errors_schema(
                "ValidationErrors",
                gettext_lazy(
                    "Nothing was stored. errors.results maps each failing item's index to its field errors; "
                    "errors.versions and errors.licence_usage likewise."
                ),
            ),
            401: _detail_schema("NotAuthenticated", gettext_lazy("No token, or a wrong or revoked one.")),
            413: _detail_schema("TooLarge", gettext_lazy("More than 1000 results, or a body over 2 MB.")),
            429: _detail_schema(
                "Throttled", gettext_lazy("Too many batches of this installation: wait Retry-After seconds.")
            ),
        },
        examples=[
            OpenApiExample(
                "A batch",
                request_only=True,
                value={
                    "results": [
                        {
                            "component": "Baza podataka",
                            "check": "disk free",
                            "status": "OK",
                            "value": 41.5,
                            "unit": "%",
                            "measured_at": "2026-12-01T10:00:00+01:00",
                            "kind": "database",
                            "interval": 300,
                        }
                    ],
                    "versions": [{"product": "jupiter-erp", "version": "2026.10"}],
                    "licence_usage": [{"module": "finance", "named_users": 42}],
                },
            )
        ],
    )
    def post(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > BODY_MAX_BYTES:
            raise PayloadTooLarge()
        payload = request.data
        if not isinstance(payload, dict):
            raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        batch = self._batch_clean(payload)
        try:
            outcome = services.results_ingest(installation=request.auth.installation, **batch)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(_nested(error.message_dict)) from None
        return Response(
            {"accepted": outcome.accepted, "duplicates": outcome.duplicates}, status=status.HTTP_201_CREATED
        )

    def _batch_clean(self, payload: dict) -> dict:
        items = payload.get("results")
        if isinstance(items, list) and len(items) > RESULTS_MAX:
            raise PayloadTooLarge(_("At most %(max)d results a batch are allowed.") % {"max": RESULTS_MAX})
        # The results are checked below, faster than a serializer would.
        extras = BatchSerializer(data={**payload, "results": []})
        errors = {} if extras.is_valid() else dict(extras.errors)
        results = []
        if not isinstance(items, list) or not items:
            errors["results"] = [_("Send a list of 1 to %(max)d results.") % {"max": RESULTS_MAX}]
        else:
            now = timezone.now()
            failing = {}
            for index, item in enumerate(items):
                clean, item_errors = result_clean(item, now)
                if item_errors:
                    failing[str(index)] = item_errors
                results.append(clean)
            if failing:
                errors["results"] = failing
        if errors:
            raise exceptions.ValidationError(_indexed(errors))
        data = extras.validated_data
        return {
            "results": results,
            "versions": data.get("versions", ()),
            "licence_usage": data.get("licence_usage", ()),
        }


def _indexed(errors: dict) -> dict:
    """DRF gives a list's errors as a list with {} for the good items; by index is easier to read."""
    return {
        field: {str(index): item for index, item in enumerate(value) if item}
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value)
        else value
        for field, value in errors.items()
    }


def _nested(message_dict: dict) -> dict:
    """The service's "versions.0.product" keys as {"versions": {"0": {"product": [...]}}}."""
    nested = {}
    for key, messages in message_dict.items():
        field, index, name = key.split(".")
        nested.setdefault(field, {}).setdefault(index, {})[name] = messages
    return nested


results_view = ResultsView.as_view()
