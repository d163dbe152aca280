"""The second factor of test personas (accounts.two_factor). Users who must sign in with a second factor
(staff, ADMINs, FIN_ADMINs) get a confirmed authenticator when the factories make them (tests.factories
`member_create`, conftest `staff_create`); `client_for` (conftest) signs them in verified, and the browser
sign-in helpers type a code after the password with `code_step`."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor


def authenticator_give(user) -> TOTPDevice:
    """The user's confirmed authenticator, made if missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


def authenticator_if_required(user) -> None:
    if two_factor.is_required(user):
        authenticator_give(user)


def code_for(user_or_device) -> str:
    """The code the authenticator shows now. django-otp accepts each time step once per device: the step is
    forgotten first, so a test may sign the same person in twice within 30 seconds."""
    device = user_or_device if isinstance(user_or_device, TOTPDevice) else authenticator_give(user_or_device)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def login_verified(client, user) -> None:
    """force_login, and the session verified with the second factor when the user has or needs one."""
    client.force_login(user)
    if two_factor.is_required(user) or two_factor.has_authenticator(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator_give(user).persistent_id
        session.pop(two_factor.SESSION_STEP_KEY, None)
        session.save()


def code_step(page, user, *, timeout: float = 10_000) -> None:
    """In a browser, after the password: type the code on the second step if the user has an authenticator."""
    if not two_factor.has_authenticator(user):
        return
    page.wait_for_url("**/accounts/two-factor/**", timeout=timeout)
    page.fill("#id_code", code_for(user))
    page.press("#id_code", "Enter")


def other_session_make(user, *, user_agent: str = "Firefox on Linux", ip_address: str = "198.51.100.7"):
    """A session of the user signed in elsewhere: in Django's session store and with its row."""
    from datetime import timedelta
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from accounts import sessions
    from accounts.models import UserSession

    now = timezone.now()
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[sessions.SIGNED_IN_AT] = store[sessions.LAST_ACTIVITY] = int(now.timestamp())
    store.create()
    return UserSession.objects.create(
        user=user,
        session_key=store.session_key,
        user_agent=user_agent,
        ip_address=ip_address,
        signed_in_at=now,
        last_activity_at=now,
        expires_at=now + timedelta(hours=12),
    )


def second_factor_pass(client, user) -> None:
    """After a sign-in through a form (test Client): the second step the session waits for, done."""
    from django.urls import reverse

    step = client.session.get(two_factor.SESSION_STEP_KEY)
    if step == two_factor.SETUP:
        client.get(reverse("accounts:two-factor-setup"))
        device = TOTPDevice.objects.filter(user=user, confirmed=False).latest("pk")
        assert (
            client.post(reverse("accounts:two-factor-setup"), {"code": code_for(device)}).status_code == 200
        )
    elif step == two_factor.VERIFY:
        assert client.post(reverse("accounts:two-factor-verify"), {"code": code_for(user)}).status_code == 302
