"""The one helper that sends the portal's e-mails: HTML and text, rendered in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def email_send(*, to: str, template: str, context: dict, language: str | None = None) -> None:
    """Render templates/emails/<template>_subject.txt, .txt and .html and send them to one address."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"portal_url": settings.PORTAL_BASE_URL, **context}
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
