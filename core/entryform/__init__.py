"""The national-phase entry request (Annex BY.II for patents, BY.III for utility models),
filled in as a Word document — framework-free; the CLI (`pctby entry-form`) and the chat
(`/entryform`) are two front-ends over it.

    request = parse_request(tomllib.load(fh))   # InputError names the first bad field
    check_complete(request)                      # what a form for the Office cannot do without
    data = render(request)                       # the .docx as bytes

The chat's guided form is `core.entryform.flow` (which question next, what an answer does);
the answers a user gave last time are `core.entryform.answers`.
"""

from core.entryform.document import (
    APPLICANTS_ON_FORM,
    CHECKED,
    INVENTORS_ON_FORM,
    UNCHECKED,
    document_text,
    overflow,
    render,
)
from core.entryform.model import (
    Applicant,
    Attachment,
    Basis,
    BasisChoice,
    Correspondence,
    EntryRequest,
    Inventor,
    Part,
    Representative,
    RepresentativeRole,
    check_complete,
    check_publication,
    form_date,
    parse_request,
)

__all__ = [
    "APPLICANTS_ON_FORM",
    "CHECKED",
    "INVENTORS_ON_FORM",
    "UNCHECKED",
    "Applicant",
    "Attachment",
    "Basis",
    "BasisChoice",
    "Correspondence",
    "EntryRequest",
    "Inventor",
    "Part",
    "Representative",
    "RepresentativeRole",
    "check_complete",
    "check_publication",
    "document_text",
    "form_date",
    "overflow",
    "parse_request",
    "render",
]
