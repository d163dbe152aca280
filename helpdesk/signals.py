"""Audit of sign-ins. Django's auth signals are the one hook that every sign-in path passes through
(portal login, Django admin, axes lockouts), so the audit is written here rather than in a view."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditEvent
from .services import audit_record, client_ip


@receiver(user_logged_in)
def audit_sign_in(sender, request, user, **kwargs):
    audit_record(action=AuditEvent.Action.SIGN_IN, actor=user, target=user, ip_address=client_ip(request))


@receiver(user_logged_out)
def audit_sign_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(
            action=AuditEvent.Action.SIGN_OUT, actor=user, target=user, ip_address=client_ip(request)
        )


@receiver(user_login_failed)
def audit_failed_sign_in(sender, credentials, request=None, **kwargs):
    email = (credentials.get("username") or credentials.get("email") or "")[:200]
    user = get_user_model().objects.filter(email__iexact=email).first()
    audit_record(
        action=AuditEvent.Action.SIGN_IN_FAILED,
        target=user,
        details={"email": email},
        ip_address=client_ip(request),
    )
