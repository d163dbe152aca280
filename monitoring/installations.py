"""Adding an installation to be monitored: a vendor admin for any organization, a customer's SYS_ADMIN or
ADMIN for theirs (the view checks who may). Its components and checks come with its agent's first results."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from helpdesk.models import AuditEvent
from helpdesk.services import audit_record

from .models import Installation


def installation_create(*, organization, name: str, environment: str, by, ip_address=None) -> Installation:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the installation a name, such as “Production”.")})
    try:
        with transaction.atomic():
            installation = Installation.objects.create(
                organization=organization, name=name, environment=environment
            )
    except IntegrityError:
        raise ValidationError(
            {
                "name": _("%(organization)s already has an installation named %(name)s.")
                % {"organization": organization.name, "name": name}
            }
        ) from None
    audit_record(
        action=AuditEvent.Action.INSTALLATION_CREATED,
        actor=by,
        organization=organization,
        target=installation,
        details={"environment": environment},
        ip_address=ip_address,
    )
    return installation
