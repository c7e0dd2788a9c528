"""Checks on imported text that every way in shares (file upload, pasted text, command, references CSV).

Each refusal names the input and where the problem is, so a person can fix it; nothing is written.
"""

from __future__ import annotations

import codecs
import csv

from ..errors import ServiceError
from ..inputs import control_characters

# UTF-16 files start with a byte-order mark; without one, UTF-16 is indistinguishable from binary.
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
CONTROL_SHARE = 0.01  # more control characters than this share of the text: not prose
CONTROL_WINDOW = 8192


class ImportRefused(ServiceError):
    """The input cannot be imported; the message names the input and the reason. Nothing was written."""


def decode_utf16(data: bytes, *, name: str) -> str | None:
    """The text of a UTF-16 file with a byte-order mark, None for anything else."""
    if not data.startswith(UTF16_BOMS):
        return None
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as err:
        raise ImportRefused(f"{name}: starts as UTF-16 but is not valid UTF-16 (byte offset {err.start})") from None


def line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def check_text(text: str, *, name: str) -> None:
    """Refuse text with a NUL anywhere (PostgreSQL cannot store one) or too many control characters."""
    nul = text.find("\x00")
    if nul >= 0:
        raise ImportRefused(
            f"{name}: contains a NUL byte at line {line_of(text, nul)} — this looks like a binary file, "
            "not article text"
        )
    window = text[:CONTROL_WINDOW]
    controls = control_characters(window)
    if controls > CONTROL_SHARE * len(window):
        raise ImportRefused(f"{name}: this looks like a binary file ({controls} control characters), not article text")


def check_title(title: str, *, name: str, given: bool) -> None:
    """An article title must fit its column; the first line of a text is not always a title."""
    from ..models import Article

    limit = Article._meta.get_field("title").max_length
    if len(title) > limit:
        where = "the title given" if given else "the first line (used as the title)"
        raise ImportRefused(
            f"{name}: {where} is {len(title):,} characters long; a title may have at most {limit} — "
            "give a shorter title or put the title on the first line"
        )


def check_csv_text(text: str, *, name: str) -> None:
    nul = text.find("\x00")
    if nul >= 0:
        raise ImportRefused(f"{name}: line {line_of(text, nul)} contains a NUL byte; save the CSV as UTF-8 text")


def csv_rows(reader, *, name: str):
    """(line, row) from a csv reader, with the csv module's own errors (a field over its size limit, a
    broken quote) turned into a refusal naming the line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise csv_refusal(err, reader, name=name) from None
        yield reader.line_num, row


def csv_refusal(err: csv.Error, reader, *, name: str) -> ImportRefused:
    # The reader has not counted the line it failed on yet.
    limit = csv.field_size_limit()
    detail = f"a field is longer than {limit:,} characters" if "field larger" in str(err) else str(err)
    return ImportRefused(f"{name}: line {reader.line_num + 1}: {detail}")


def check_field_lengths(model, values: dict, *, line: int) -> list[str]:
    """A problem per value longer than its model field allows, naming the line and the column."""
    problems = []
    for column, value in values.items():
        limit = getattr(model._meta.get_field(column), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            problems.append(f"line {line}: {column} is {len(value):,} characters long; at most {limit} allowed")
    return problems
