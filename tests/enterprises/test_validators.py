import pytest
from django.core.exceptions import ValidationError

from enterprises.validators import credit_code_check_char, validate_credit_code
from tests.factories import make_credit_code


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the example printed in GB 32100-2015
        "91110000600037341L",
        make_credit_code(1),
        make_credit_code(123456789),
    ],
)
def test_valid_codes_pass(code):
    validate_credit_code(code)


def test_lower_case_is_accepted_as_upper():
    validate_credit_code("91350100m000100y43")


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y430", "length"),
        ("", "length"),
        ("91350100M000100I43", "charset"),  # I is not in the code's character set
        ("91350100M000100Y4O", "charset"),
        ("91350100M000100Y44", "check"),  # wrong check character
        ("91350100M000100Y34", "check"),  # two characters swapped
    ],
)
def test_invalid_codes_are_refused_with_reason(code, error_code):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert excinfo.value.code == error_code


def test_check_char_of_31_is_written_as_zero():
    # Search a body whose weighted sum is a multiple of 31: its check character must be "0".
    from enterprises.validators import CHARSET, VALUES, WEIGHTS

    for tail in CHARSET:
        body = "9132038100000000" + tail
        if sum(VALUES[c] * w for c, w in zip(body, WEIGHTS, strict=True)) % 31 == 0:
            assert credit_code_check_char(body) == "0"
            validate_credit_code(body + "0")
            break
    else:
        pytest.fail("the last weight is coprime with 31, so one tail character must give a zero sum")
