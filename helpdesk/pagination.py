"""Pages without COUNT(*): over millions of rows an exact count costs more than the page itself."""

from dataclasses import dataclass


@dataclass
class Page:
    items: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def page_of(queryset, page: str | int | None, per_page: int = 25) -> Page:
    """One page of the queryset: fetches per_page + 1 rows to learn whether a next page exists."""
    try:
        number = max(1, min(int(page or 1), 10_000))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return Page(items=rows[:per_page], number=number, has_next=len(rows) > per_page)


COUNT_BOUND = 10_000


def count_up_to(queryset, bound: int = COUNT_BOUND) -> tuple[int, bool]:
    """How many rows match, exact up to `bound`: (bound, True) means "more than bound". One query that
    counts a LIMITed subquery of primary keys, so a million matching rows cost no more than `bound`."""
    count = queryset.order_by().values("pk")[: bound + 1].count()
    return min(count, bound), count > bound
