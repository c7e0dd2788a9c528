"""Reading values people type into URLs, forms and files: one place that decides what a number is.

`str.isdigit()` is true for superscripts ("¹") and other scripts' digits ("١"), which `int()` then either
refuses (a 500) or silently reads as 1. Ids, versions and page numbers here are ASCII digits only; anything
else is refused with a message naming the field. NUL bytes cannot be stored by PostgreSQL at all, so they
are refused wherever they come in. Pure Python (no Django): the parser and the middleware share it.
"""

from __future__ import annotations

import re

MAX_ID_DIGITS = 18  # a PostgreSQL bigint holds every 18-digit number
_ASCII_ID = re.compile(rf"[0-9]{{1,{MAX_ID_DIGITS}}}")


class BadInput(ValueError):
    """A value that cannot be used; the message names the field and what it accepts."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{field}: {message}")


def is_id(value: object) -> bool:
    """Whether `value` is a whole number written in ASCII digits that fits a bigint."""
    return isinstance(value, str) and _ASCII_ID.fullmatch(value) is not None


def parse_id(value: object, *, field: str) -> int:
    """`value` as an id, or BadInput naming `field`."""
    text = str(value).strip()
    if is_id(text):
        return int(text)
    if has_odd_digits(text):
        raise BadInput(field, f"{shown(text)} uses digits other than 0-9")
    raise BadInput(field, f"{shown(text)} is not a whole number of at most {MAX_ID_DIGITS} digits")


def has_odd_digits(value: str) -> bool:
    """Whether `value` is made of digits and at least one is not 0-9 (superscripts, Arabic-Indic, …)."""
    return bool(value) and value.isdigit() and not value.isascii()


def has_nul(value: str) -> bool:
    return "\x00" in value


def control_characters(text: str) -> int:
    """How many C0 control characters (other than tab, newline, form feed, carriage return) `text` has."""
    return sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")


def shown(value: str, limit: int = 40) -> str:
    """A value quoted for a message: control characters escaped, long values cut."""
    text = value if len(value) <= limit else value[:limit] + "…"
    return repr(text)
