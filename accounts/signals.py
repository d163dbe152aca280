"""Session records at sign-in and sign-out. Django's auth signals are the one hook every sign-in path passes
through (the portal's sign-in, an invitation's, the admin's, a test's force_login), like the audit of
sign-ins in helpdesk.signals."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from . import sessions


@receiver(user_logged_in)
def session_begin(sender, request, user, **kwargs):
    sessions.session_begin(request, user)


@receiver(user_logged_out)
def session_forget(sender, request, user, **kwargs):
    sessions.session_forget(request.session.session_key)
