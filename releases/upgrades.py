"""The upgrade path: which releases to install, in which order, from the installed version to the newest.

A pure function over version keys (lists of integers, releases.models.version_key), so that it is tested
without a database. A release installs on any version from its `requires_key` (its prerequisite: the oldest
version it can be installed on) up to the one before its own. Releases are cumulative: a later one holds the
changes of the earlier ones, so the path takes, at each step, the newest release that installs on what is
there now. That gives the fewest installs: from a newer version every release that an older one could
take next is still possible, so jumping as far as possible never closes a way to the newest release.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field


def _key(release) -> tuple[int, ...]:
    return tuple(release.version_key)


def _installs_on(release, current: tuple[int, ...]) -> bool:
    return tuple(release.requires_key or ()) <= current < _key(release)


@dataclass
class UpgradePath:
    # Every release newer than the installed version, oldest first: the changes the organization gets.
    newer: list = field(default_factory=list)
    # The releases to install, in this order.
    steps: list = field(default_factory=list)

    @property
    def newest(self):
        return self.newer[-1] if self.newer else None

    @property
    def is_up_to_date(self) -> bool:
        return not self.newer

    @property
    def reaches_newest(self) -> bool:
        return not self.newer or (bool(self.steps) and self.steps[-1] is self.newest)

    @property
    def blocked_by(self):
        """The first release the path cannot get past (its prerequisite is newer than any version the
        path reaches), or None."""
        if self.reaches_newest:
            return None
        reached = _key(self.steps[-1]) if self.steps else None
        return next(
            (release for release in self.newer if reached is None or _key(release) > reached),
            None,
        )


def upgrade_path(installed: Sequence[int], releases: Sequence) -> UpgradePath:
    """The releases (objects with `version_key` and `requires_key`) newer than `installed`, and the order in
    which to install them to reach the newest: at each step the newest release that installs on the current
    version. When the newest cannot be reached (a prerequisite no release provides), the steps stop where
    the path can go no further."""
    current = tuple(installed)
    newer = sorted((release for release in releases if _key(release) > current), key=_key)
    steps = []
    while True:
        candidates = [release for release in newer if _installs_on(release, current)]
        if not candidates:
            break
        step = max(candidates, key=_key)
        steps.append(step)
        current = _key(step)
    return UpgradePath(newer=newer, steps=steps)
