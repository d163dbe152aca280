"""Versions order as numbers, and the upgrade path takes the fewest releases that respect prerequisites."""

from dataclasses import dataclass, field

import pytest
from django.core.exceptions import ValidationError

from releases.models import version_key
from releases.upgrades import upgrade_path


@dataclass
class R:
    """A release as the path sees it: its version and the oldest version it installs on."""

    version: str
    requires: str = ""
    version_key: list = field(init=False)
    requires_key: list = field(init=False)

    def __post_init__(self):
        self.version_key = version_key(self.version)
        self.requires_key = version_key(self.requires) if self.requires else []


def versions(releases) -> list[str]:
    return [release.version for release in releases]


@pytest.mark.parametrize(
    ("older", "newer"),
    [("2026.9", "2026.10"), ("3.9", "3.10.1"), ("3.9", "3.9.1"), ("2025.12.3", "2026.1"), ("9", "10")],
)
def test_versions_compare_as_numbers_not_as_text(older, newer):
    assert version_key(older) < version_key(newer)


def test_trailing_zeros_make_the_same_version():
    assert version_key("3.9") == version_key("3.9.0") == [3, 9]


@pytest.mark.parametrize("bad", ["", "v3.9", "3..9", "3.9-beta", "1.2.3.4.5.6", " 3.9"])
def test_a_version_that_is_not_numbers_and_dots_is_refused(bad):
    with pytest.raises(ValidationError):
        version_key(bad)


def test_without_prerequisites_the_newest_release_is_the_whole_path():
    path = upgrade_path(version_key("2026.1"), [R("2026.4"), R("2026.10"), R("2026.1"), R("2025.10")])
    assert versions(path.newer) == ["2026.4", "2026.10"]
    assert versions(path.steps) == ["2026.10"]
    assert path.reaches_newest and path.blocked_by is None


def test_each_step_installs_on_the_version_the_previous_one_left():
    releases = [
        R("2026.10", requires="2026.4"),
        R("2026.4", requires="2026.1"),
        R("2026.1", requires="2025.10"),
    ]
    path = upgrade_path(version_key("2025.10"), releases)
    assert versions(path.steps) == ["2026.1", "2026.4", "2026.10"]


def test_the_path_jumps_over_releases_a_later_one_includes():
    """Hotfixes of 2026.1 need not be installed on the way to 2026.4, which installs on 2026.1 itself."""
    releases = [
        R("2026.1", requires="2025.10"),
        R("2026.1.1", requires="2026.1"),
        R("2026.1.2", requires="2026.1"),
        R("2026.4", requires="2026.1"),
        R("2026.10", requires="2026.4"),
    ]
    path = upgrade_path(version_key("2025.10"), releases)
    assert versions(path.steps) == ["2026.1", "2026.4", "2026.10"]
    assert versions(path.newer) == ["2026.1", "2026.1.1", "2026.1.2", "2026.4", "2026.10"]


def test_a_hotfix_chain_is_followed_when_it_is_the_newest():
    releases = [R("3.10", requires="3.9"), R("3.10.1", requires="3.10"), R("3.10.2", requires="3.10.1")]
    path = upgrade_path(version_key("3.9.1"), releases)
    assert versions(path.steps) == ["3.10", "3.10.1", "3.10.2"]


def test_an_installed_hotfix_satisfies_the_prerequisite_of_its_minor_version():
    path = upgrade_path(
        version_key("2026.1.1"), [R("2026.1.2", requires="2026.1"), R("2026.4", requires="2026.1")]
    )
    assert versions(path.steps) == ["2026.4"]


def test_up_to_date_means_no_steps():
    path = upgrade_path(version_key("2026.10"), [R("2026.4"), R("2026.10")])
    assert path.is_up_to_date and path.steps == [] and path.reaches_newest


def test_an_unknown_installed_version_starts_from_the_first_release():
    path = upgrade_path([], [R("2026.4", requires="2026.1"), R("2026.1")])
    assert versions(path.steps) == ["2026.1", "2026.4"]


def test_a_prerequisite_no_release_provides_blocks_the_path_and_says_where():
    releases = [R("2026.1", requires="2025.10"), R("2026.10", requires="2026.4")]
    path = upgrade_path(version_key("2025.10"), releases)
    assert versions(path.steps) == ["2026.1"]
    assert not path.reaches_newest
    assert path.blocked_by.version == "2026.10"


def test_a_release_older_than_its_prerequisite_never_counts_as_installable():
    path = upgrade_path(version_key("2026.4"), [R("2026.1", requires="2025.10")])
    assert path.newer == [] and path.steps == []
