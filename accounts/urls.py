from django.contrib.auth import views as auth_views
from django.urls import path

from . import security_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("two-factor/", security_views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/setup/", security_views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/recovery-codes/", security_views.recovery_codes_regenerate, name="recovery-codes"),
    path("two-factor/disable/", security_views.two_factor_disable, name="two-factor-disable"),
    path("sessions/<int:pk>/end/", security_views.session_end, name="session-end"),
    path("sessions/end-others/", security_views.sessions_end_others, name="sessions-end-others"),
    path("session/status/", security_views.session_status, name="session-status"),
    path("session/ping/", security_views.session_ping, name="session-ping"),
    path("organization/switch/", views.organization_switch, name="organization-switch"),
    path("members/", views.my_members, name="my-members"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("organizations/", views.organization_list, name="organization-list"),
    path("organizations/new/", views.organization_create, name="organization-create"),
    path("organizations/<int:pk>/edit/", views.organization_update, name="organization-update"),
    path("organizations/<int:organization_pk>/members/", views.member_list, name="member-list"),
    path("organizations/<int:organization_pk>/members/<int:pk>/role/", views.member_role, name="member-role"),
    path(
        "organizations/<int:organization_pk>/members/<int:pk>/deactivate/",
        views.member_deactivate,
        name="member-deactivate",
    ),
    path("audit/", views.audit_list, name="audit-list"),
]
