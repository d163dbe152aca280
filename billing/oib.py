"""The Croatian personal identification number (OIB): 11 digits, the last a check digit computed with
ISO 7064 MOD 11,10 over the first ten."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def oib_check_digit(first_ten: str) -> int:
    """The ISO 7064 MOD 11,10 check digit of ten digits."""
    remainder = 10
    for digit in first_ten:
        remainder = (int(digit) + remainder) % 10
        remainder = (remainder or 10) * 2 % 11
    return (11 - remainder) % 10


def is_valid_oib(value: str) -> bool:
    value = value or ""
    return (
        len(value) == 11
        and value.isascii()
        and value.isdigit()
        and oib_check_digit(value[:10]) == int(value[10])
    )


def validate_oib(value: str) -> None:
    if not is_valid_oib(value):
        raise ValidationError(
            _("%(value)s is not a valid OIB: it needs 11 digits and a correct check digit."),
            code="oib",
            params={"value": value},
        )
