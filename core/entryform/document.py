"""The request as a Word document (python-docx): the form of Annex BY.II or BY.III, its fields
in the form's order, check boxes as ☒/☐, dates as dd.mm.yyyy, and a continuation sheet for the
applicants and inventors that do not fit on the form.

The wording of each form is package data (`by_ii.toml`, `by_iii.toml`, loaded with
`importlib.resources`, so an installed wheel carries it); the layout is the code below, shared
by both forms, which differ only in wording.
"""

from __future__ import annotations

import io
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from core.entryform.model import (
    Applicant,
    Basis,
    EntryRequest,
    Inventor,
    Part,
    RepresentativeRole,
    form_date,
)
from core.models import Kind
from core.text import for_docx

CHECKED: Final = "☒"
UNCHECKED: Final = "☐"
BLANK: Final = "_____"
PAGE_BREAK: Final = "=== page break ==="

# How many fit on the form itself; the rest go to the continuation sheet. The form has one
# applicant block (name, address, country, contacts, ОКПО/УНП) and a few lines for inventors.
APPLICANTS_ON_FORM: Final = 1
INVENTORS_ON_FORM: Final = 3

FORMS: Final[dict[Kind, str]] = {Kind.PATENT: "by_ii.toml", Kind.UTILITY_MODEL: "by_iii.toml"}


@cache
def labels(kind: Kind) -> dict[str, Any]:
    """The wording of the form for `kind` (Annex BY.II or BY.III), from the package data."""
    with resources.files("core.entryform").joinpath(FORMS[kind]).open("rb") as fh:
        return tomllib.load(fh)


def box(checked: bool) -> str:
    return CHECKED if checked else UNCHECKED


@dataclass(frozen=True, slots=True)
class Overflow:
    applicants: tuple[Applicant, ...]
    inventors: tuple[Inventor, ...]

    def __bool__(self) -> bool:
        return bool(self.applicants or self.inventors)


def overflow(request: EntryRequest) -> Overflow:
    """The applicants and inventors that go to the continuation sheet."""
    return Overflow(request.applicants[APPLICANTS_ON_FORM:], request.inventors[INVENTORS_ON_FORM:])


def inventor_address(inventor: Inventor) -> str:
    """The address "including the ST.3 country code", as the form asks."""
    if inventor.country and inventor.country not in inventor.address.split():
        return f"{inventor.address}, {inventor.country}" if inventor.address else inventor.country
    return inventor.address


# -- writing ----------------------------------------------------------------------------------

Piece = tuple[str, bool]  # (text, bold): labels are plain, what the applicant filled is bold


def _label(text: str) -> Piece:
    return (text, False)


def _value(text: str) -> Piece:
    return (text, True)


def _put(paragraph: Paragraph, pieces: Iterable[Piece]) -> None:
    first = True
    for text, bold in pieces:
        if not text:
            continue
        run = paragraph.add_run(for_docx(text if first else " " + text))
        run.bold = bold
        first = False


def _cell(cell: _Cell, *pieces: Piece) -> None:
    _put(cell.paragraphs[0], pieces)


def _table(doc: DocumentObject, cols: int) -> Table:
    table: Table = doc.add_table(rows=0, cols=cols)
    table.style = "Table Grid"
    return table


def _row(table: Table, *cells: Iterable[Piece]) -> None:
    """One row; fewer cells than columns: the last one spans the rest."""
    row = table.add_row()  # type: ignore[no-untyped-call]
    for i, pieces in enumerate(cells):
        _cell(row.cells[i], *pieces)
    if len(cells) < len(row.cells):
        row.cells[len(cells) - 1].merge(row.cells[-1])


def _contacts(t: dict[str, Any], phone: str, fax: str, email: str) -> list[list[Piece]]:
    return [
        [_label(t["phone"]), _value(phone)],
        [_label(t["fax"]), _value(fax)],
        [_label(t["email"]), _value(email)],
    ]


def _basis_row(
    t: dict[str, Any], part: Part, chosen: Basis | None, options: tuple[Basis, ...]
) -> list[list[Piece]]:
    cells = [[_label(t[part.value])]]
    for option in options:
        cells.append([_label(box(chosen is option)), _label(t[f"{part.value}_{option.value}"])])
    return cells


def _applicant_rows(table: Table, t: dict[str, Any], applicant: Applicant | None) -> None:
    a = applicant or Applicant(name="-")
    name = applicant.name if applicant else ""
    _row(table, [_label(t["applicants"]), _value(name)])
    _row(
        table,
        [_label(t["applicant_address"]), _value(a.address)],
        [_label(t["applicant_country"]), _value(a.country)],
    )
    _row(table, *_contacts(t, a.phone, a.fax, a.email))


def build(request: EntryRequest) -> DocumentObject:
    """The filled form as a python-docx document."""
    t = labels(request.kind)
    doc = Document()
    _page(doc)
    pct = request.pct_number or "PCT/"
    more = overflow(request)

    head = _table(doc, 2)
    _row(head, [_label(t["received"])], [_label(t["registration"])])
    _row(head, [(t["heading"], True)], [_label(t["addressee"])])
    _row(
        head,
        [_label(t["pct_number"]), _value(pct) if request.pct_number else _label(pct)],
        [_label(t["filing_date"]), _value(_date(request.filing_date))],
    )
    wo = request.wo_number
    _row(
        head,
        [_label(t["wo_number"]), _value(wo) if wo else _label("WO")],
        [_label(t["publication_date"]), _value(_date(request.publication_date))],
    )
    _row(head, [_label(t["title"]), _value(request.title)])

    people = _table(doc, 3)
    first = request.applicants[0] if request.applicants else None
    _applicant_rows(people, t, first)
    _row(people, [_label(box(bool(more.applicants))), _label(t["continued"])])
    f = first or Applicant(name="-")
    _row(people, [_label(t["okpo"]), _value(f.okpo)], [_label(t["unp"]), _value(f.unp)])
    _row(people, [_label(t["parent_org"]), _value(f.parent_org)])

    petition = _table(doc, 2)
    early = request.early_start
    on_date = early if not isinstance(early, bool) else None
    _row(petition, [_label(t["petition"])])
    _row(
        petition,
        [_label(box(early is not False)), _label(t["early_start"])],
        [_label(box(early is True)), _label(t["early_from_receipt"])],
    )
    dated = t["early_from_date"].format(date=form_date(on_date) if on_date else BLANK)
    _row(petition, [], [_label(box(on_date is not None)), _label(dated)])

    corr = request.correspondence_address
    address = _table(doc, 3)
    _row(address, [_label(t["correspondence"]), _value(corr.address if corr else "")])
    _row(address, *_contacts(t, *((corr.phone, corr.fax, corr.email) if corr else ("",) * 3)))

    rep = request.representative
    role = request.representative_is
    _row(address, [_label(t["representative"]), _value(rep.name if rep else "")])
    _row(
        address,
        [
            _label(t["representative_is"]),
            _label(box(role is RepresentativeRole.PATENT_ATTORNEY)),
            _label(t["patent_attorney"]),
            _label(box(role is RepresentativeRole.COMMON_REPRESENTATIVE)),
            _label(t["common_representative"]),
        ],
    )
    _row(address, *_contacts(t, *((rep.phone, rep.fax, rep.email) if rep else ("",) * 3)))

    doc.add_paragraph(t["basis"])
    basis = _table(doc, 4)
    chosen = request.basis
    _row(basis, *_basis_row(t, Part.DESCRIPTION, chosen.description, (Basis.ORIGINAL, Basis.ART34)))
    _row(basis, *_basis_row(t, Part.CLAIMS, chosen.claims, tuple(Basis)))
    _row(basis, *_basis_row(t, Part.DRAWINGS, chosen.drawings, (Basis.ORIGINAL, Basis.ART34)))
    amended = set(request.amended_on_entry)
    _row(
        basis,
        [_label(t["amended"])],
        *([_label(box(part in amended)), _label(t[f"amended_{part.value}"])] for part in Part),
    )

    listed = _table(doc, 3)
    _row(listed, [_label(t["attachments"])], [_label(t["sheets"])], [_label(t["copies"])])
    for item in request.attachments or ():
        _row(
            listed,
            [_value(item.name)],
            [_value(str(item.sheets or ""))],
            [_value(str(item.copies or ""))],
        )
    if not request.attachments:
        _row(listed, [], [], [])

    inventors = _table(doc, 2)
    _row(inventors, [_label(t["inventors"])], [_label(t["inventor_address"])])
    on_form = request.inventors[:INVENTORS_ON_FORM]
    for inventor in on_form:
        _row(inventors, [_value(inventor.name)], [_value(inventor_address(inventor))])
    if not on_form:
        _row(inventors, [], [])
    _row(inventors, [_label(box(bool(more.inventors))), _label(t["continued"])])

    doc.add_paragraph(t["signature"])
    doc.add_paragraph("")
    doc.add_paragraph(t["signed_on"])
    for note in t["footnotes"]:
        doc.add_paragraph(note).runs[0].font.size = Pt(8)

    if more:
        _continuation(doc, t, request, more)
    return doc


def _continuation(
    doc: DocumentObject, t: dict[str, Any], request: EntryRequest, more: Overflow
) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    heading = doc.add_paragraph()
    pct = request.pct_number or "PCT/"
    heading.add_run(for_docx(t["sheet_heading"].format(pct_number=pct))).bold = True
    if more.applicants:
        doc.add_paragraph(t["sheet_applicants"])
        for n, applicant in enumerate(more.applicants, start=APPLICANTS_ON_FORM + 1):
            table = _table(doc, 3)
            _row(table, [_label(t["sheet_applicant"].format(n=n)), _value(applicant.name)])
            _row(
                table,
                [_label(t["applicant_address"]), _value(applicant.address)],
                [_label(t["applicant_country"]), _value(applicant.country)],
            )
            _row(table, *_contacts(t, applicant.phone, applicant.fax, applicant.email))
            if applicant.okpo or applicant.unp or applicant.parent_org:
                _row(
                    table,
                    [_label(t["okpo"]), _value(applicant.okpo)],
                    [_label(t["unp"]), _value(applicant.unp)],
                )
                _row(table, [_label(t["parent_org"]), _value(applicant.parent_org)])
    if more.inventors:
        doc.add_paragraph(t["sheet_inventors"])
        table = _table(doc, 2)
        _row(table, [_label(t["inventors"])], [_label(t["inventor_address"])])
        for inventor in more.inventors:
            _row(table, [_value(inventor.name)], [_value(inventor_address(inventor))])


def _date(day: Any) -> str:
    return form_date(day) if day is not None else ""


def _page(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(1.5)
    normal = doc.styles["Normal"]
    font = normal.font
    font.name = "Times New Roman"
    font.size = Pt(10)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "Times New Roman")


def render(request: EntryRequest) -> bytes:
    """The filled form as the bytes of a .docx file."""
    buf = io.BytesIO()
    build(request).save(buf)
    return buf.getvalue()


# -- reading back -----------------------------------------------------------------------------


def document_text(data: bytes) -> str:
    """The text of a .docx as a person reads it, in order: one line per paragraph and per
    table row (cells joined by " | ", a merged cell once); a page break as its own line."""
    doc = Document(io.BytesIO(data))
    return "\n".join(_lines(doc))


def _lines(doc: DocumentObject) -> Iterator[str]:
    body = doc.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, doc)
            if any(br.get(qn("w:type")) == "page" for br in child.iter(qn("w:br"))):
                yield PAGE_BREAK
            if paragraph.text.strip():
                yield paragraph.text
        elif child.tag == qn("w:tbl"):
            for row in Table(child, doc).rows:
                seen: list[Any] = []
                texts: list[str] = []
                for cell in row.cells:
                    if any(cell._tc is tc for tc in seen):
                        continue
                    seen.append(cell._tc)
                    texts.append(" / ".join(p.text for p in cell.paragraphs))
                yield " | ".join(texts)
