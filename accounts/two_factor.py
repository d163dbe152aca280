"""Two-factor sign-in (django-otp): a TOTP authenticator app, with ten single-use recovery codes.

Required for vendor staff, Django admin users and superusers, and for the ADMINs and FIN_ADMINs of any
organization; optional for everyone else. After the password, a session is "pending" until the code is given
(or, for a user who must have a second factor and has none, until one is set up): which of the two it waits
for is written into the session at sign-in (`SESSION_STEP_KEY`), and accounts.middleware lets a pending
session reach only the set-up and code pages, sign-out and the language switch. A verified session carries
django-otp's device id (`django_otp.DEVICE_ID_SESSION_KEY`). A role change ends the person's sessions
(accounts.sessions), so the step is worked out again at the next sign-in with the new roles.
"""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from helpdesk.models import AuditEvent
from helpdesk.permissions import is_staff
from helpdesk.services import audit_record

from .models import Membership
from .roles import Role

SESSION_STEP_KEY = "_second_factor_step"
SETUP, VERIFY = "setup", "verify"
RECOVERY_CODE_COUNT = 10
REQUIRING_ROLES = [Role.ADMIN, Role.FIN_ADMIN]
AUTHENTICATOR_NAME = "Authenticator"
RECOVERY_NAME = "Recovery codes"


def is_required(user) -> bool:
    """Whether the user must sign in with a second factor."""
    return (
        user.is_superuser
        or user.is_staff
        or is_staff(user)
        or Membership.objects.active().filter(user=user, roles__overlap=REQUIRING_ROLES).exists()
    )


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def step_for(user) -> str:
    """What a new session of the user waits for after the password: VERIFY, SETUP or nothing ("")."""
    if has_authenticator(user):
        return VERIFY
    return SETUP if is_required(user) else ""


def is_verified(request) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def pending_step(request) -> str:
    """The step a signed-in session still waits for ("" when none)."""
    if not request.user.is_authenticated or is_verified(request):
        return ""
    return request.session.get(SESSION_STEP_KEY, "")


def step_url(request, next_url: str) -> str:
    name = "accounts:two-factor-setup" if pending_step(request) == SETUP else "accounts:two-factor-verify"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def mark_verified(request, device) -> None:
    otp_login(request, device)
    request.session.pop(SESSION_STEP_KEY, None)


def _normalized(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


# --- Set-up ---------------------------------------------------------------------------------------------


def setup_device(user) -> TOTPDevice:
    """The authenticator being set up: a new secret until confirmed with a code (the page may be reloaded,
    so the same unconfirmed device is kept)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, as people type it into an authenticator app."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (segno writes no script and no style attribute)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


@transaction.atomic
def setup_confirm(*, user, device: TOTPDevice, code: str, ip_address: str | None) -> list[str]:
    """Confirm the new authenticator with a code from it (replacing an earlier one) and make fresh recovery
    codes; returns the codes, which are shown once. Audited."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(_normalized(code)):
        raise ValidationError(
            _("This code is not correct. Check the clock of your phone and try the next code.")
        )
    replaced = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()[0] > 0
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_make(user)
    audit_record(
        action=AuditEvent.Action.TWO_FACTOR_ENABLED,
        actor=user,
        target=user,
        details={"replaced": True} if replaced else {},
        ip_address=ip_address,
    )
    return codes


def _recovery_codes_make(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _number in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user, ip_address: str | None) -> list[str]:
    """New recovery codes; the earlier ones stop working. Only with an authenticator. Audited."""
    if not has_authenticator(user):
        raise ValidationError(_("Set up an authenticator app first."))
    codes = _recovery_codes_make(user)
    audit_record(
        action=AuditEvent.Action.RECOVERY_CODES_REGENERATED, actor=user, target=user, ip_address=ip_address
    )
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def disable(*, user, ip_address: str | None) -> None:
    """Turn the second factor off: refused for those who must have one. Audited."""
    if is_required(user):
        raise ValidationError(_("Your role requires two-factor sign-in: it cannot be turned off."))
    deleted = TOTPDevice.objects.filter(user=user).delete()[0]
    StaticDevice.objects.filter(user=user).delete()
    if deleted:
        audit_record(
            action=AuditEvent.Action.TWO_FACTOR_DISABLED, actor=user, target=user, ip_address=ip_address
        )


# --- Sign-in --------------------------------------------------------------------------------------------


@transaction.atomic
def verify(*, user, code: str, ip_address: str | None):
    """The device that accepts the code (the authenticator's, or a recovery code, which is used up), or
    None. django-otp refuses a code used before and slows down a device after failures; a recovery code and
    a wrong code are audited."""
    code = _normalized(code)
    if not code:
        return None
    devices = [*StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)]
    if code.isdigit():
        devices = [*TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True), *devices]
    for device in devices:
        if device.verify_token(code):
            if isinstance(device, StaticDevice):
                audit_record(
                    action=AuditEvent.Action.RECOVERY_CODE_USED,
                    actor=user,
                    target=user,
                    details={"left": device.token_set.count()},
                    ip_address=ip_address,
                )
            return device
    audit_record(
        action=AuditEvent.Action.SECOND_FACTOR_FAILED, actor=user, target=user, ip_address=ip_address
    )
    return None
