"""Fixtures shared by every test of the project: personas (ARCHITECTURE.md, "Permissions"), clients, and the
real services (Redis, Chromium) that integration tests need. At the repository root so that app test folders
see it too."""

import pytest
from django.test import Client

from accounts.roles import Role, StaffGroup
from tests.factories import OrganizationFactory, UserFactory, member_create
from tests.integration import SERVICE_CHECKS, services_required
from tests.two_factor import authenticator_if_required, login_verified

# The Celery worker and SMTP server fixtures of the tests that prove a task path; the ClamAV daemon of the
# virus-scan tests.
pytest_plugins = ["tests.worker", "tests.clamav"]


def pytest_configure(config):
    # Tasks run in-process in normal tests, even when REDIS_URL is set: no test needs a broker by accident.
    from helpdesk.celery import app

    app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _english():
    """Each test starts in the source language, whichever test ran before it: a request leaves its language
    active in the thread, so a service's message was English or Croatian depending on the order of tests.
    Croatian is tested on purpose (translation.override, Accept-Language: hr)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the tests' own LocMemCache, helpdesk/settings.py): figures and
    menus cached by an earlier test must not show up in the next one."""
    from django.core.cache import cache

    cache.clear()


# --- Real services (tests/integration.py) -------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Tests marked `redis`, `browser` or `clamav` check their service before any fixture starts."""
    needed = [marker.name for marker in item.iter_markers() if marker.name in SERVICE_CHECKS]
    if needed:
        services_required(*needed)


# --- Personas -----------------------------------------------------------------------------------------------


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Jadran Prehrana d.o.o.")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Northwind Trading Ltd.")


@pytest.fixture
def standard_user(organization):
    return member_create(
        organization, [Role.STANDARD], email="standard@jadran.test", full_name="Sara Standard"
    )


@pytest.fixture
def admin_user(organization):
    return member_create(organization, [Role.ADMIN], email="admin@jadran.test", full_name="Ante Admin")


@pytest.fixture
def fin_admin_user(organization):
    return member_create(organization, [Role.FIN_ADMIN], email="fin@jadran.test", full_name="Fran Financije")


@pytest.fixture
def sys_admin_user(organization):
    return member_create(organization, [Role.SYS_ADMIN], email="sys@jadran.test", full_name="Stipe Sistem")


@pytest.fixture
def other_org_user(other_organization):
    """The ADMIN of another organization: everything of `organization` must stay hidden from them."""
    return member_create(
        other_organization, [Role.ADMIN], email="admin@northwind.test", full_name="Olga Other"
    )


def staff_group(name: str):
    """The staff group made by the data migration. A transactional test (live server, Celery worker) flushes
    the database afterwards, so the groups are rebuilt here the way that migration builds them."""
    from django.contrib.auth.models import Group

    from accounts.services import staff_groups_sync

    group = Group.objects.filter(name=name).first()
    if group is None:
        staff_groups_sync()
        group = Group.objects.get(name=name)
    return group


def staff_create(group_name: str, **user_fields):
    user = UserFactory(**user_fields)
    user.groups.add(staff_group(group_name))
    authenticator_if_required(user)  # vendor staff sign in with a second factor
    return user


@pytest.fixture
def dispatcher(db):
    return staff_create(StaffGroup.DISPATCHER, email="dispecer@jupiter.test", full_name="Dora Dispečer")


@pytest.fixture
def consultant(db):
    return staff_create(StaffGroup.CONSULTANT, email="konzultant@jupiter.test", full_name="Ivan Konzultant")


@pytest.fixture
def vendor_admin(db):
    return staff_create(StaffGroup.VENDOR_ADMIN, email="vendor@jupiter.test", full_name="Vesna Vendor")


@pytest.fixture
def client_for():
    """client_for(user) is a Client signed in as the user; client_for() an anonymous one. Pages come in
    English (the source language), so tests can assert message texts whatever the catalogues hold. A user
    who has or needs a second factor is signed in verified (tests.two_factor.login_verified)."""

    def make(user=None, **client_kwargs) -> Client:
        client = Client(headers={"accept-language": "en"}, **client_kwargs)
        if user is not None:
            login_verified(client, user)
        return client

    return make
