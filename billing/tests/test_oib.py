import pytest
from django.core.exceptions import ValidationError

from billing.oib import is_valid_oib, oib_check_digit, validate_oib


@pytest.mark.parametrize("oib", ["69435151530", "12345678903", "58672091748", "94577403194"])
def test_valid_oibs(oib):
    assert is_valid_oib(oib)
    validate_oib(oib)


@pytest.mark.parametrize(
    "oib",
    ["69435151531", "12345678900", "1234567890", "123456789031", "", None, "1234567890a", "١٢٣٤٥٦٧٨٩٠٣"],
)
def test_invalid_oibs(oib):
    assert not is_valid_oib(oib)
    with pytest.raises(ValidationError) as error:
        validate_oib(oib)
    assert error.value.code == "oib"


def test_check_digit_is_iso_7064_mod_11_10():
    assert oib_check_digit("6943515153") == 0
    assert oib_check_digit("1234567890") == 3
    # A check value of 10 becomes 0 (the remainder rule of MOD 11,10).
    assert all(0 <= oib_check_digit(f"{n:010d}") <= 9 for n in range(0, 10**10, 10**8 + 7))
