"""Recognise an individual number (マイナンバー): 12 digits whose last is a valid check digit."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Twelve digits, optionally grouped 4-4-4 by a space or hyphen, not inside a longer run of
# letters or digits (so hex digests and tokens do not count).
_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])(\d{4})[ \-]?(\d{4})[ \-]?(\d{4})(?![0-9A-Za-z])")


def check_digit(first_eleven: str) -> int:
    """Return the check digit for the first 11 digits (総務省令の検査用数字の算式)."""
    if len(first_eleven) != 11 or not first_eleven.isdigit():
        raise ValueError("expected 11 digits")
    total = 0
    for n in range(1, 12):
        p = int(first_eleven[11 - n])  # the n-th digit counting leftwards from the 11th
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_individual_number(digits: str) -> bool:
    """Tell whether 12 digits form a valid individual number."""
    return len(digits) == 12 and digits.isdigit() and check_digit(digits[:11]) == int(digits[11])


def find_individual_numbers(text: str) -> Iterator[str]:
    """Yield every valid individual number written in `text` (full-width digits included)."""
    for match in _CANDIDATE.finditer(unicodedata.normalize("NFKC", text)):
        digits = "".join(match.groups())
        if is_individual_number(digits):
            yield digits
