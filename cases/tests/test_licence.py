"""Cases use the licence: a new case offers the organization's licensed modules first, and staff see on the
case page, the queue and the lists whether the case's module is licensed and support is active, read for
the whole page in one query."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from cases.models import Case
from cases.tests.test_query_counts import queries_for
from licensing.tests.factories import licence_make
from tests.factories import OrganizationFactory, case_create, case_form_data, member_create, module_get

SUPPORTED = "Licensed · support active"
UNSUPPORTED = "Licensed · support expired"
UNLICENSED = "Not licensed"


def _module_menu(html: str) -> str:
    return re.search(r'<select name="module".*?</select>', html, re.S).group(0)


def test_a_new_case_offers_the_licensed_modules_first(client_for, organization, standard_user):
    finance, payroll = module_get("finance"), module_get("payroll")
    module_get("assets")
    licence_make(organization, modules=[payroll, finance])

    menu = _module_menu(client_for(standard_user).get(reverse("cases:case-create")).content.decode())

    licensed, others = menu.split('<optgroup label="Other modules">')
    assert '<optgroup label="Licensed modules">' in licensed
    assert "Finance" in licensed and "Payroll" in licensed and "Assets" not in licensed
    assert "Assets" in others


def test_without_a_licence_the_modules_are_one_plain_list(client_for, organization, standard_user):
    module_get("finance")
    licence_make(organization, modules=["finance"], is_suspended=True)

    menu = _module_menu(client_for(standard_user).get(reverse("cases:case-create")).content.decode())

    assert "Finance" in menu and "<optgroup" not in menu


def test_a_case_may_still_name_a_module_that_is_not_licensed(client_for, organization, standard_user):
    licence_make(organization, modules=["finance"])
    assets = module_get("assets")

    response = client_for(standard_user).post(reverse("cases:case-create"), case_form_data(module=assets.pk))

    assert response.status_code == 302
    assert Case.objects.get().module == assets


def test_staff_see_on_the_case_whether_its_module_is_licensed(
    client_for, organization, standard_user, consultant
):
    licence_make(organization, modules=["finance"])
    case = case_create(organization, standard_user, module=module_get("finance"))

    staff_page = client_for(consultant).get(case.get_absolute_url()).content.decode()
    customer_page = client_for(standard_user).get(case.get_absolute_url()).content.decode()

    assert f'id="case-licence">{SUPPORTED}<' in staff_page
    assert 'id="case-licence"' not in customer_page


def _organizations_with_cases(reporter_roles=(Role.STANDARD,)):
    """Three organizations, each a case of Finance: licensed with support, licensed without, not licensed;
    and a case without a module of the first."""
    today = timezone.localdate()
    cases = {}
    for label, support_until in (
        (SUPPORTED, "default"),
        (UNSUPPORTED, today - timedelta(days=1)),
        (UNLICENSED, None),
    ):
        organization = OrganizationFactory()
        if label != UNLICENSED:
            licence_make(organization, modules=["finance"], support_until=support_until)
        reporter = member_create(organization, reporter_roles)
        cases[label] = case_create(organization, reporter, module=module_get("finance"), title=label)
    cases["Support active"] = case_create(cases[SUPPORTED].organization, cases[SUPPORTED].reporter)
    return cases


def _badge_of(html: str, case: Case) -> str:
    row = re.search(rf"{case.reference}</a>.*?</tr>", html, re.S).group(0)
    return re.search(r'licence-badge">([^<]*)<', row).group(1)


def test_the_queue_and_the_case_list_show_each_case_s_licence(client_for, dispatcher, consultant):
    cases = _organizations_with_cases()

    queue = client_for(dispatcher).get(reverse("cases:queue")).content.decode()
    case_list = client_for(consultant).get(reverse("cases:case-list")).content.decode()

    for html in (queue, case_list):
        assert {label: _badge_of(html, case) for label, case in cases.items()} == {
            label: label for label in cases
        }


def test_customers_see_no_licence_badge_in_their_list(client_for, organization, standard_user):
    licence_make(organization, modules=["finance"])
    case_create(organization, standard_user, module=module_get("finance"))

    assert "licence-badge" not in client_for(standard_user).get(reverse("cases:case-list")).content.decode()


def test_the_badges_cost_one_query_for_the_page_however_many_organizations(
    client_for, organization, standard_user, dispatcher
):
    licence_make(organization, modules=["finance"])
    case_create(organization, standard_user, module=module_get("finance"))
    client = client_for(dispatcher)
    urls = [reverse("cases:queue"), reverse("cases:case-list")]
    for url in urls:
        client.get(url)  # warms the caches
    small = [queries_for(client, url) for url in urls]

    for _index in range(4):
        _organizations_with_cases()

    assert [queries_for(client, url) for url in urls] == small
    html = client.get(reverse("cases:queue")).content.decode()
    assert html.count(f'licence-badge">{UNSUPPORTED}<') == 4
    assert html.count(f'licence-badge">{UNLICENSED}<') == 4
