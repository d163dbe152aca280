"""The consultant's time page runs a bounded number of queries, the same with one entry as with a page full
of them (their organizations, cases and approved months read in the same query). The case page's count,
with its time entries, is tested with the other case pages (cases/tests/test_query_counts.py)."""

from django.urls import reverse
from django.utils import timezone

from billing.models import TimeEntry
from billing.money import previous_month
from billing.tests.test_time_entries import month_approve
from cases.tests.test_query_counts import measure
from tests.factories import OrganizationFactory, case_create

# A few queries of the shared layout (session, user, header, notifications) and one for the page of entries.
TIME_LIST_MAX = 10


def test_my_time_page(organization, standard_user, consultant, fin_admin_user, client_for):
    today = timezone.localdate()
    TimeEntry.objects.create(
        consultant=consultant, organization=organization, date=today, minutes=60, description="First"
    )

    def grow():
        month_approve(organization, previous_month(today), fin_admin_user)
        others = [OrganizationFactory() for _index in range(3)]
        cases = [case_create(organization, standard_user, title=f"Case {index}") for index in range(3)]
        TimeEntry.objects.bulk_create(
            TimeEntry(
                consultant=consultant,
                organization=organization if index % 2 else others[index % 3],
                case=cases[index % 3] if index % 2 else None,
                date=today if index % 3 else previous_month(today),
                minutes=15 + index,
                is_billable=bool(index % 4),
                description=f"Work {index}",
            )
            for index in range(60)
        )

    small, large = measure(client_for(consultant), reverse("billing:time-list"), grow)

    assert small == large
    assert large <= TIME_LIST_MAX
