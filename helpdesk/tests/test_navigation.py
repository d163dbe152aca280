"""The header's navigation: apps register their entries; the header shows those the user may use."""

import inspect

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from helpdesk import context_processors
from helpdesk.navigation import ENTRIES, nav_register, nav_unregister


@pytest.fixture
def billing_entry():
    """An entry as a new app would register it in its AppConfig.ready."""
    nav_register(_("Report"), "docs:knowledge-report", perm="accounts.manage_members", order=95)
    yield
    nav_unregister("docs:knowledge-report")


def _nav_links(client):
    html = client.get(reverse("dashboard")).content.decode()
    return html[html.index("<nav") : html.index("</nav>")]


def test_an_entry_registered_by_an_app_shows_to_holders_of_its_permission(
    billing_entry, client_for, admin_user, standard_user
):
    address = reverse("docs:knowledge-report")
    assert f'href="{address}"' in _nav_links(client_for(admin_user))
    assert f'href="{address}"' not in _nav_links(client_for(standard_user))


def test_entries_come_in_their_order_and_once(billing_entry):
    nav_register(_("Report"), "docs:knowledge-report", perm="accounts.manage_members", order=1)
    names = [entry.url_name for entry in ENTRIES]
    assert names.count("docs:knowledge-report") == 1
    assert [entry.order for entry in ENTRIES] == sorted(entry.order for entry in ENTRIES)


def test_every_app_brings_its_own_entries(client_for, standard_user, dispatcher, vendor_admin):
    assert f'href="{reverse("cases:case-list")}"' in _nav_links(client_for(standard_user))
    assert f'href="{reverse("cases:queue")}"' not in _nav_links(client_for(standard_user))
    assert f'href="{reverse("cases:queue")}"' in _nav_links(client_for(dispatcher))
    assert f'href="{reverse("accounts:organization-list")}"' in _nav_links(client_for(vendor_admin))


def test_the_header_names_no_app():
    source = inspect.getsource(context_processors)
    assert not any(name in source for name in ("cases", "docs", "accounts:", "view_queue"))


def test_a_few_entries_stand_side_by_side_and_many_are_grouped_in_menus(
    client_for, standard_user, vendor_admin
):
    from helpdesk.navigation import FLAT_UP_TO, NavMenu

    few = client_for(standard_user).get(reverse("dashboard")).context["nav_items"]
    assert len(few) <= FLAT_UP_TO
    assert not any(isinstance(part, NavMenu) for part in few)

    many = client_for(vendor_admin).get(reverse("dashboard")).context["nav_items"]
    menus = {str(part.label): [item.url for item in part.items] for part in many if isinstance(part, NavMenu)}
    assert reverse("cases:queue") in menus["Cases"]
    assert reverse("accounts:organization-list") in menus["Administration"]
    assert len(many) <= FLAT_UP_TO + 1
    html = _nav_links(client_for(vendor_admin))
    assert 'class="btn nav-link dropdown-toggle' in html
    assert f'href="{reverse("accounts:audit-list")}"' in html


def test_a_menu_must_be_one_the_header_knows():
    with pytest.raises(ValueError, match="Unknown header menu"):
        nav_register(_("Report"), "docs:knowledge-report", menu="reports")
