"""Case references: JS-<year>-<six digits>, numbered per year, unique and without gaps."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from cases import services
from cases.models import Case, CaseNumber
from tests.concurrency import run_in_threads
from tests.factories import case_create

THREADS = 8


def at(year, month=6, day=1):
    return timezone.make_aware(datetime(year, month, day, 12, 0))


def test_reference_format(organization, standard_user):
    case = case_create(organization, standard_user)

    year = timezone.localtime().year
    assert case.reference == f"JS-{year}-000001"
    assert case_create(organization, standard_user).reference == f"JS-{year}-000002"


def test_each_year_has_its_own_sequence(organization, standard_user, monkeypatch):
    references = []
    for moment in (at(2031), at(2031, 9), at(2032, 1, 1), at(2031, 12)):
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        references.append(case_create(organization, standard_user).reference)

    assert references == ["JS-2031-000001", "JS-2031-000002", "JS-2032-000001", "JS-2031-000003"]
    assert dict(CaseNumber.objects.values_list("year", "last_number")) == {2031: 3, 2032: 1}


def test_the_year_is_the_local_one(organization, standard_user, monkeypatch):
    # 31 December 23:30 UTC is already New Year in Zagreb.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2031, 12, 31, 23, 30, tzinfo=timezone.UTC))

    assert case_create(organization, standard_user).reference == "JS-2032-000001"


def test_a_failed_creation_leaves_no_gap(organization, standard_user):
    first = case_create(organization, standard_user)
    program = SimpleUploadedFile("setup.exe", b"MZ\x90\x00", content_type="application/octet-stream")

    # The file is refused after the number was drawn: the whole creation, increment included, rolls back.
    with pytest.raises(ValidationError):
        case_create(organization, standard_user, files=[program])
    with pytest.raises(RuntimeError), transaction.atomic():
        case_create(organization, standard_user)
        raise RuntimeError("the request failed after the case was saved")

    second = case_create(organization, standard_user)
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1
    assert Case.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_get_consecutive_unique_references(organization, standard_user):
    case_create(organization, standard_user)  # the year's row exists: every thread updates it
    CaseNumber.objects.all().delete()
    Case.objects.all().delete()

    def work(index):
        case_create(organization, standard_user, title=f"Case from thread {index}")

    run_in_threads(THREADS, work)

    year = timezone.localtime().year
    references = sorted(Case.objects.values_list("reference", flat=True))
    assert references == [f"JS-{year}-{number:06d}" for number in range(1, THREADS + 1)]
    assert CaseNumber.objects.get(year=year).last_number == THREADS


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_creations_of_a_year_do_not_collide(organization, standard_user):
    """No row for the year yet: the INSERT ... ON CONFLICT makes the first numbers race-free as well."""

    def work(index):
        if index % 2:
            with pytest.raises(RuntimeError), transaction.atomic():
                case_create(organization, standard_user)
                raise RuntimeError("rolled back")
        else:
            case_create(organization, standard_user)

    run_in_threads(THREADS, work)

    year = timezone.localtime().year
    references = sorted(Case.objects.values_list("reference", flat=True))
    assert references == [f"JS-{year}-{number:06d}" for number in range(1, THREADS // 2 + 1)]


def test_allocation_is_one_statement_on_the_locked_row(db):
    """The number is drawn with one INSERT ... ON CONFLICT DO UPDATE, whose row lock lasts until commit."""
    with transaction.atomic():
        assert services._allocate_reference(2040) == "JS-2040-000001"
        assert services._allocate_reference(2040) == "JS-2040-000002"
