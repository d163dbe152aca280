import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from helpdesk.emails import email_send

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def invitation_send(invitation_id: int, token: str) -> None:
    """Mail the invitation link. The token is not stored in clear, so it travels as an argument."""
    from .models import Invitation

    invitation = (
        Invitation.objects.select_related("organization", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.accepted_at is not None:
        return
    link = settings.PORTAL_BASE_URL + reverse("accounts:invitation-accept", args=[token])
    email_send(
        to=invitation.email,
        template="invitation",
        context={"invitation": invitation, "link": link},
        language=invitation.organization.language,
    )
    logger.info("Sent invitation %s", invitation_id)


@shared_task(**RETRY)
def password_reset_send(user_id: int) -> None:
    """Mail a password-reset link; the token is made here so that it never passes through the broker."""
    from .models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.PORTAL_BASE_URL + reverse("accounts:password-reset-confirm", args=[uid, token])
    email_send(
        to=user.email, template="password_reset", context={"user": user, "link": link}, language=user.language
    )
    logger.info("Sent password reset to user %s", user_id)


@shared_task
def sessions_purge() -> None:
    """Forget the session rows past their absolute end (accounts.sessions); Django's expired sessions too."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from .sessions import sessions_purge as purge

    rows = purge()
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        Session.objects.filter(expire_date__lte=timezone.now()).delete()
    logger.info("sessions_purge: %s session rows forgotten", rows)
