"""Write the sample corpus's PDF monitoring report (src/kwatch/sample_corpus/2025-01-15_monitoring_note.pdf).

usage: python scripts/make_sample_pdf.py [--check]

The PDF is committed; this script is how it was made. The text is our own writing (facts listed
in docs/sample-corpus.md). Dates and producer are fixed so that running the script
again gives the same bytes; `--check` exits 1 when the committed file differs.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

from fpdf import FPDF

OUT = Path(__file__).resolve().parent.parent / "src" / "kwatch" / "sample_corpus" / "2025-01-15_monitoring_note.pdf"
TITLE = "Monitoring note: ISKP activity, selected entries 2021-2024"
BYLINE = "Khorasan Watch sample desk - published 15 January 2025"
#: Fixed so the output is reproducible.
CREATED = datetime(2025, 1, 15, 9, 0, tzinfo=timezone.utc)

#: (heading, paragraphs, start a new page before it)
SECTIONS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    (
        "1. Attacks",
        (
            "On 11 December 2024, a suicide bomber killed Khalil Rahman Haqqani, the Taliban minister of "
            "refugees and repatriation, inside the ministry compound in Kabul. The Islamic State Khorasan "
            "Province (ISKP) claimed the attack.",
            "On 13 October 2023, a suicide bombing at the Imam Zaman mosque, a Shia mosque in Pul-e-Khumri, "
            "Baghlan province, killed at least seven worshippers and injured 15, according to the Taliban. "
            "ISKP claimed it.",
        ),
        False,
    ),
    (
        "2. Operations against ISKP, according to the Taliban",
        (
            "The figures in this section are those announced by the Taliban and could not be verified "
            "independently.",
            "On the night of 3 October 2021, Taliban forces raided an ISKP hideout in the north of Kabul, "
            "hours after a bombing outside the Eid Gah mosque in the city. The Taliban spokesman Zabihullah "
            "Mujahid said the cell had been destroyed and all of its members killed; he gave no number.",
            "On 4 January 2023, Taliban forces raided ISKP hideouts in Kabul and in Nimroz province. The "
            "Taliban said the next day that eight ISKP members, foreign nationals among them, were killed and "
            "nine arrested.",
            "On 27 February 2023, Zabihullah Mujahid said Taliban forces had killed Qari Fateh, whom he "
            "described as the ISKP intelligence and operations chief, and one other ISKP member in an "
            "operation in the Khair Khana area of Kabul the previous evening.",
            "Taliban operations in Nangarhar and Kunar in late 2021 were reported mostly without dates or "
            "figures; they are not recorded as single events in this note.",
        ),
        False,
    ),
    (
        "3. Media releases (metadata only)",
        (
            "This section records who released what, in which language and medium. It does not reproduce "
            "or describe the content of any release.",
            "Al-Azaim, the media foundation aligned with ISKP, began publishing Voice of Khurasan, an "
            "English-language magazine, in 2022.",
            "After the attack on Crocus City Hall near Moscow on 22 March 2024, ISKP-aligned media launched "
            "a Tajik-language magazine in 2024.",
            "Across the period, Al-Azaim also released videos in Uzbek, Tajik and Pashto, and the Pashto-"
            "language magazine Khurasan Ghag continued to appear.",
        ),
        True,
    ),
)


def build() -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(CREATED)
    pdf.set_producer("kwatch scripts/make_sample_pdf.py")
    pdf.set_title(TITLE)
    pdf.set_author("Khorasan Watch sample desk")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=15)
    pdf.multi_cell(0, 8, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 6, BYLINE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for heading, paragraphs, new_page in SECTIONS:
        if new_page:
            pdf.add_page()
        pdf.set_font("Helvetica", style="B", size=12)
        pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        pdf.set_font("Helvetica", size=11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    return bytes(pdf.output())


def main(argv: list[str]) -> int:
    data = build()
    if "--check" in argv:
        if not OUT.is_file() or OUT.read_bytes() != data:
            print(f"{OUT} is out of date: run python scripts/make_sample_pdf.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_bytes(data)
    print(f"wrote {OUT} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
