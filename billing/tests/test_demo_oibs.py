"""The demo organizations' OIBs pass the ISO 7064 check that support contracts and e-invoices need; a demo
database made with the earlier OIBs (which failed it) is corrected rather than given a second organization.
Apart from test_demo.py, whose module-wide demo already holds the organizations."""

from accounts import demo as accounts_demo
from accounts.models import Organization
from billing.oib import is_valid_oib


def test_every_demo_oib_is_valid():
    assert all(is_valid_oib(oib) for _n, oib, _a, _l, _s, _sh in accounts_demo.ORGANIZATIONS)


def test_a_demo_database_of_before_gets_valid_oibs_rather_than_a_second_organization(db):
    Organization.objects.create(name="Slavonija Logistika d.d.", oib="23456789018")

    accounts_demo.seed()

    slavonija = Organization.objects.get(name="Slavonija Logistika d.d.")
    assert is_valid_oib(slavonija.oib)
    assert Organization.objects.count() == len(accounts_demo.ORGANIZATIONS)
