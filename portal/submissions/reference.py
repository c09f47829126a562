"""Reference numbers (受付番号) that cannot be guessed and can be read over the phone."""

from __future__ import annotations

import re
import secrets
import unicodedata

# No 0/O or 1/I: they are confused when read aloud or handwritten.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PREFIX = "YKH"


def new_reference_number() -> str:
    """Return a fresh reference number like YKH-7K3P-9QRT (40 random bits)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{PREFIX}-{chars[:4]}-{chars[4:]}"


SHAPE = re.compile(rf"{PREFIX}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}")


def is_reference_number(value: str) -> bool:
    """Tell whether `value` has the shape of a reference number, as normalised."""
    return SHAPE.fullmatch(value) is not None


def normalise_reference_number(typed: str) -> str:
    """Read a reference number as typed: any case, with or without dashes, 全角 or 半角."""
    compact = re.sub(r"[\s\-‐－ー−]", "", unicodedata.normalize("NFKC", typed)).upper()
    compact = compact.removeprefix(PREFIX)
    if len(compact) != 8:
        return typed.strip().upper()
    return f"{PREFIX}-{compact[:4]}-{compact[4:]}"
