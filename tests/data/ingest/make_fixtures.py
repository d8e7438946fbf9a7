"""Regenerate the binary and deliberately broken test documents in this folder.

    .venv/bin/python tests/data/ingest/make_fixtures.py

Writes pdf/report.pdf (fpdf2, fixed metadata), bad/truncated.pdf (its first half),
bad/invalid_utf8.txt, bad/random_bytes.txt, bad/image.html (a real PNG) and
telegram/broken/result.json (an export with the damage real exports show). All text is our own.
"""

from __future__ import annotations

import random
import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).resolve().parent
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

PDF_PAGES = (
    (
        "Briefing note: the Khorasan branch in 2024",
        "Islamic State Khorasan Province claimed the bombing in Kerman, Iran, on 3 January 2024. "
        "Iranian officials said more than 90 people were killed.",
    ),
    (
        "Russia",
        "The branch was blamed for the attack on Crocus City Hall near Moscow on 22 March 2024. "
        "Russian reports used the words: теракт в Крокус Сити Холле.",
    ),
)


def make_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_title("Briefing note on the Khorasan branch")
    pdf.set_author("Khorasan Watch test suite")
    pdf.set_creation_date(datetime(2024, 4, 2, 10, 30, tzinfo=UTC))
    unicode_font = FONT.is_file()
    if unicode_font:
        pdf.add_font("DejaVu", fname=str(FONT))
    for heading, body in PDF_PAGES:
        pdf.add_page()
        pdf.set_font("DejaVu" if unicode_font else "Helvetica", size=14)
        pdf.multi_cell(0, 10, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu" if unicode_font else "Helvetica", size=11)
        pdf.multi_cell(0, 7, body if unicode_font else body.encode("latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_png() -> bytes:
    """A valid 1x1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")


def make_broken_export() -> bytes:
    good = '"A checkpoint in Kunar came under fire, local officials said."'
    lines = [
        "{",
        ' "name": "Broken Export Channel",',
        ' "type": "public_channel",',
        ' "id": 1009999999,',
        ' "messages": [',
        # duplicate "text" keys (seen in real exports): the non-empty one must be kept
        '  {"id": 10, "type": "message", "date": "2023-09-01T08:00:00", "text": ' + good + ', "text": ""},',
        # a field this reader does not know
        '  {"id": 11, "type": "message", "date": "2023-09-01T09:00:00", "rich_message": {"blocks": [1, 2]},'
        ' "text": "Police in Jalalabad reported a raid on a safe house."},',
        # invalid UTF-8 inside the text: only this message is reported
        '  {"id": 12, "type": "message", "date": "2023-09-01T10:00:00", "text": "Damaged \xff\xfe bytes here"},',
        # not an object
        '  "just a string",',
        # a date that is not a date
        '  {"id": 14, "type": "message", "date": "yesterday", "text": "Date is broken but text is fine."},',
        '  {"id": 15, "type": "message", "date": "2023-09-02T07:30:00", "text": "A last message that reads fine."}',
        " ]",
        "}",
    ]
    # latin-1 keeps \xff\xfe as the raw invalid bytes; everything else is ASCII
    return "\n".join(lines).encode("latin-1") + b"\n"


def main() -> None:
    pdf = make_pdf()
    (HERE / "pdf" / "report.pdf").write_bytes(pdf)
    (HERE / "bad" / "truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
    (HERE / "bad" / "invalid_utf8.txt").write_bytes(
        b"Valid words come first, then " + b"\xc3\x28 an invalid sequence.\n"
    )
    (HERE / "bad" / "random_bytes.txt").write_bytes(random.Random(20240322).randbytes(2048))
    (HERE / "bad" / "image.html").write_bytes(make_png())
    (HERE / "telegram" / "broken").mkdir(parents=True, exist_ok=True)
    (HERE / "telegram" / "broken" / "result.json").write_bytes(make_broken_export())


if __name__ == "__main__":
    main()
