"""Every change to users, organizations, memberships and roles: one audited operation each."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk import outbox, throttle
from helpdesk.models import AuditEvent
from helpdesk.services import audit_record

from . import sessions, tasks
from .models import Invitation, Membership, Organization, OrganizationUserPermission, User
from .roles import ROLE_PERMISSIONS, STAFF_GROUP_PERMISSIONS, Role, permissions_for_roles


def _permission_objects(perms) -> list[Permission]:
    query = Permission.objects.none()
    for perm in perms:
        app_label, codename = perm.split(".", 1)
        query = query | Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return list(query.select_related("content_type"))


def staff_groups_sync() -> None:
    """Give each staff group exactly the global permissions accounts.roles lists. The data migrations do this
    on a new database; a test that flushed the database calls it to have the groups again."""
    for name, perms in STAFF_GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=str(name))
        group.permissions.set(_permission_objects(perms))


def _sync_object_permissions(membership: Membership) -> None:
    """Make the member's guardian permissions on the organization exactly those of their roles."""
    wanted = permissions_for_roles(membership.roles) if membership.is_active else frozenset()
    held = set(
        membership.organization.user_permissions.filter(user=membership.user).values_list(
            "permission__content_type__app_label", "permission__codename"
        )
    )
    held = {f"{app_label}.{codename}" for app_label, codename in held}
    # Rows are written directly: guardian's own assign_perm() accepts only permissions of the
    # Organization model, while a role spans codenames of every app (ARCHITECTURE.md, "Permissions").
    OrganizationUserPermission.objects.bulk_create(
        [
            OrganizationUserPermission(
                user=membership.user, content_object=membership.organization, permission=permission
            )
            for permission in _permission_objects(wanted - held)
        ],
        ignore_conflicts=True,
    )
    membership.organization.user_permissions.filter(
        user=membership.user, permission__in=_permission_objects(held - wanted)
    ).delete()


def _sessions_end_for_role_change(user: User, by, ip_address) -> None:
    """A role change ends every session of the person (accounts.sessions): their permissions and whether
    they need a second factor are worked out afresh when they sign in again. The view keeps the session of
    someone who changed their own roles, under a new key (sessions.session_rotate)."""
    sessions.sessions_end(user=user, by=by, ip_address=ip_address, reason="role_change")


def _active_admins(organization: Organization):
    return Membership.objects.active().filter(organization=organization, roles__contains=[Role.ADMIN])


def _is_self(membership: Membership, by: User | None) -> bool:
    """An administrator's own membership: they may not lock themselves out (another administrator may)."""
    return by is not None and membership.user_id == by.pk


def _refuse_if_last_admin(membership: Membership) -> None:
    if (
        membership.has_role(Role.ADMIN)
        and not _active_admins(membership.organization).exclude(pk=membership.pk).exists()
    ):
        # A colon, not a full stop, after the name: company names end with one ("d.o.o.", "d.d.").
        raise ValidationError(
            _(
                "%(name)s is the last administrator of %(organization)s: "
                "make another member an administrator first."
            )
            % {"name": membership.user, "organization": membership.organization}
        )


def _roles_save(
    membership: Membership, roles: list[str], role: str, action: str, by, ip_address
) -> Membership:
    """Store the member's new roles, bring their permissions in line and audit the change of `role`."""
    membership.roles = roles
    membership.save(update_fields=["roles"])
    _sync_object_permissions(membership)
    _sessions_end_for_role_change(membership.user, by, ip_address)
    audit_record(
        action=action,
        actor=by,
        organization=membership.organization,
        target=membership.user,
        details={"role": role},
        ip_address=ip_address,
    )
    return membership


@transaction.atomic
def role_grant(*, membership: Membership, role: str, by: User, ip_address: str | None = None) -> Membership:
    """Give the member the role and exactly its object permissions on the organization; audited."""
    if role not in ROLE_PERMISSIONS:
        raise ValidationError(_("Unknown role."))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        raise ValidationError(_("Roles cannot be granted to a deactivated member."))
    if role in membership.roles:
        return membership
    return _roles_save(
        membership, [*membership.roles, role], role, AuditEvent.Action.ROLE_GRANTED, by, ip_address
    )


@transaction.atomic
def role_remove(*, membership: Membership, role: str, by: User, ip_address: str | None = None) -> Membership:
    """Take the role away, keeping the permissions other roles still give; the last ADMIN keeps theirs."""
    # Lock every admin membership of the organization so two admins cannot demote each other at once.
    list(Membership.objects.select_for_update().filter(organization=membership.organization_id))
    membership = Membership.objects.select_related("user", "organization").get(pk=membership.pk)
    if role not in membership.roles:
        return membership
    if role == Role.STANDARD:
        raise ValidationError(
            _("Every member is a standard user. Deactivate the member to take away their access.")
        )
    if role == Role.ADMIN:
        if _is_self(membership, by):
            raise ValidationError(
                _("You cannot remove your own administrator role: another administrator can do it.")
            )
        _refuse_if_last_admin(membership)
    roles = [r for r in membership.roles if r != role]
    return _roles_save(membership, roles, role, AuditEvent.Action.ROLE_REMOVED, by, ip_address)


@transaction.atomic
def member_roles_set(
    *, membership: Membership, roles: list[str], by: User, ip_address: str | None = None
) -> Membership:
    """Give the member exactly these roles: each role granted or removed is its own audited change, all or
    none (a refused removal undoes the grants sent with it)."""
    wanted = set(roles)
    for role in [role for role in Role if role in wanted and role not in membership.roles]:
        membership = role_grant(membership=membership, role=role, by=by, ip_address=ip_address)
    for role in [role for role in Role if role not in wanted and role in membership.roles]:
        membership = role_remove(membership=membership, role=role, by=by, ip_address=ip_address)
    return membership


@transaction.atomic
def member_deactivate(*, membership: Membership, by: User, ip_address: str | None = None) -> Membership:
    """Remove the member's access to the organization; a person with no other access cannot sign in."""
    list(Membership.objects.select_for_update().filter(organization=membership.organization_id))
    membership = Membership.objects.select_related("user", "organization").get(pk=membership.pk)
    if not membership.is_active:
        return membership
    if _is_self(membership, by):
        raise ValidationError(_("You cannot deactivate yourself: another administrator can do it."))
    _refuse_if_last_admin(membership)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    _sync_object_permissions(membership)
    _sessions_end_for_role_change(membership.user, by, ip_address)
    user = membership.user
    if not user.groups.exists() and not user.memberships.filter(is_active=True).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
    audit_record(
        action=AuditEvent.Action.MEMBER_DEACTIVATED,
        actor=by,
        organization=membership.organization,
        target=user,
        ip_address=ip_address,
    )
    return membership


@transaction.atomic
def member_add(
    *,
    organization: Organization,
    user: User,
    roles: list[str],
    by: User | None,
    ip_address: str | None = None,
) -> Membership:
    """Make the user an active member with the given roles (reactivating an earlier membership)."""
    membership, _created = Membership.objects.select_for_update().get_or_create(
        user=user, organization=organization
    )
    membership.is_active = True
    membership.roles = sorted(set(roles) | {Role.STANDARD}, key=list(Role).index)
    membership.save(update_fields=["is_active", "roles"])
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    _sync_object_permissions(membership)
    _sessions_end_for_role_change(user, by, ip_address)
    audit_record(
        action=AuditEvent.Action.MEMBER_ADDED,
        actor=by,
        organization=organization,
        target=user,
        details={"roles": membership.roles},
        ip_address=ip_address,
    )
    return membership


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *,
    organization: Organization,
    email: str,
    full_name: str,
    roles: list[str],
    by: User,
    ip_address: str | None = None,
) -> tuple[Invitation, str]:
    """Create a single-use invitation valid for INVITATION_VALID_DAYS and mail its link; returns the token."""
    email = email.strip().lower()
    if Membership.objects.active().filter(organization=organization, user__email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already a member of this organization.") % {"email": email})
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        full_name=full_name.strip(),
        roles=sorted(set(roles) | {Role.STANDARD}, key=list(Role).index),
        token_hash=_token_hash(token),
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit_record(
        action=AuditEvent.Action.INVITATION_SENT,
        actor=by,
        organization=organization,
        target=invitation,
        details={"email": email, "roles": invitation.roles},
        ip_address=ip_address,
    )
    # The clear token waits in the outbox row until the broker takes the task (the row then forgets it):
    # the link is mailed from there only, it is single-use and expires; the invitation keeps its hash.
    outbox.enqueue(tasks.invitation_send, invitation.pk, token)
    return invitation, token


class InvitationError(ValidationError):
    """An invitation link that cannot be used; the message says why."""


def invitation_for_token(token: str) -> Invitation:
    """The usable invitation behind a link, or InvitationError saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("organization").filter(token_hash=_token_hash(token)).first()
    )
    if invitation is None or not invitation.organization.is_active:
        raise InvitationError(_("This invitation link is not valid. Check that you copied the whole link."))
    if invitation.accepted_at is not None:
        raise InvitationError(_("This invitation has already been used. Sign in with your account instead."))
    if invitation.is_expired:
        raise InvitationError(
            _("This invitation has expired. Ask the administrator of %(organization)s to send a new one.")
            % {"organization": invitation.organization}
        )
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
    ip_address: str | None = None,
) -> Membership:
    """Use the invitation once: create the account (or take the signed-in one, or bring back a deactivated
    one with a new password) and add the membership."""
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:  # accepted by a concurrent request
        raise InvitationError(_("This invitation has already been used. Sign in with your account instead."))
    reactivated = False
    if user is None:
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is not None and user.is_active:
            raise InvitationError(
                _("An account with this e-mail address exists. Sign in to accept the invitation.")
            )
        if user is None:
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                full_name=full_name or invitation.full_name,
                language=invitation.organization.language,
            )
        else:
            # A deactivated account: the link mailed to its address proves it is theirs, as a reset link
            # would. It comes back with a new password and this membership only; the organizations that
            # deactivated it keep it out (member_add below activates the account).
            user.set_password(password)
            user.full_name = full_name or user.full_name
            user.save(update_fields=["password", "full_name"])
            reactivated = True
    elif user.email.lower() != invitation.email.lower():
        raise InvitationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    membership = member_add(
        organization=invitation.organization,
        user=user,
        roles=invitation.roles,
        by=None,
        ip_address=ip_address,
    )
    audit_record(
        action=AuditEvent.Action.INVITATION_ACCEPTED,
        actor=user,
        organization=invitation.organization,
        target=invitation,
        details={"reactivated_account": True} if reactivated else {},
        ip_address=ip_address,
    )
    return membership


@transaction.atomic
def organization_create(
    *,
    name: str,
    oib: str,
    address: str,
    language: str,
    admin_email: str,
    admin_name: str,
    by: User,
    ip_address: str | None = None,
) -> tuple[Organization, Invitation]:
    """Create a customer organization and invite its first ADMIN."""
    organization = Organization.objects.create(name=name, oib=oib, address=address, language=language)
    audit_record(
        action=AuditEvent.Action.ORGANIZATION_CREATED,
        actor=by,
        organization=organization,
        target=organization,
        ip_address=ip_address,
    )
    invitation, _token = invitation_create(
        organization=organization,
        email=admin_email,
        full_name=admin_name,
        roles=[Role.ADMIN],
        by=by,
        ip_address=ip_address,
    )
    return organization, invitation


@transaction.atomic
def organization_update(*, organization: Organization, by: User, ip_address: str | None = None, **fields):
    """Change an organization's details; audited with the changed field names."""
    changed = [name for name, value in fields.items() if getattr(organization, name) != value]
    for name in changed:
        setattr(organization, name, fields[name])
    if changed:
        organization.full_clean()
        organization.save(update_fields=changed)
        audit_record(
            action=AuditEvent.Action.ORGANIZATION_CHANGED,
            actor=by,
            organization=organization,
            target=organization,
            details={"fields": changed},
            ip_address=ip_address,
        )
    return organization


# --- Passwords ----------------------------------------------------------------------------------------------


def password_reset_request(*, email: str) -> None:
    """Queue a reset link, sent after commit, for each active account with this address that has a password.
    The page answers the same whether or not there is one, so it reveals no account. At most one e-mail per
    address in 5 minutes (helpdesk.throttle): repeated requests flood no mailbox and are answered the same."""
    email = email.strip().lower()
    if throttle.over_limit(None, "password-reset-email", key=throttle.fixed(email)):
        return
    for user in User.objects.filter(email__iexact=email, is_active=True):
        if user.has_usable_password():
            outbox.enqueue(tasks.password_reset_send, user.pk)


def password_changed_record(*, user: User, ip_address: str | None, through_reset: bool) -> None:
    """Audit a new password: set by the signed-in user, or through a reset link."""
    action = AuditEvent.Action.PASSWORD_RESET if through_reset else AuditEvent.Action.PASSWORD_CHANGED
    audit_record(action=action, actor=user, target=user, ip_address=ip_address)
