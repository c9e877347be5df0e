"""Human labels (gettext msgids) for the codes of the public interface.

Front-ends translate them per user: `t.gettext(DEADLINE_LABELS[code])`. Annual fees use the
templates with `{year}`.
"""

from __future__ import annotations

from core.errors import N_

DEADLINE_LABELS: dict[str, str] = {
    "national_phase_entry": N_("Entry into the national phase"),
    "translation": N_("Translation, its second copy and verification"),
    "national_fee_invitation": N_("National fee on the Office's invitation"),
    "entry_reinstatement": N_("Reinstatement after a missed entry (PCT Art. 22)"),
    "examination_request": N_("Request for substantive examination"),
    "grant_fee": N_("Fee for grant"),
    "grant_fee_grace": N_("Fee for grant, late (+50%)"),
    "claims_fee_shortfall": N_("Missing claims fee on the Office's invitation"),
    "extension_request": N_("Request for extension of a time limit"),
    "office_response": N_("Response to the Office's invitation (extended time limit)"),
    "reinstatement": N_("Request for reinstatement of rights"),
    "appeal_art25": N_("Appeal to the Board of Appeal (PCT Art. 25)"),
    "patent_restoration": N_("Restoration of the lapsed patent (BY.17)"),
}
ANNUAL_LABEL = N_("Annual fee for year {year}")
ANNUAL_GRACE_LABEL = N_("Annual fee for year {year}, late (+50%)")

CONDITION_LABELS: dict[str, str] = {
    "if_not_at_entry": N_("if not furnished at entry"),
    "if_fee_not_paid_at_entry": N_("if the filing fee was not paid at entry"),
    "if_entry_missed": N_("only if the entry time limit was missed"),
    "late_surcharge_50": N_("with a surcharge of 50%"),
    "ask_office": N_("the Office sets the time limit and the fee: ask it"),
    "with_grant_fee": N_("with the fee for grant"),
}

FEE_LABELS: dict[str, str] = {
    "filing": N_("Filing fee"),
    "claims_independent": N_("Claim fee, each independent claim over 1"),
    "claims_dependent": N_("Claim fee, each dependent claim over 10"),
    "examination": N_("Examination fee"),
    "exam_claims_independent": N_("Claim examination fee, each independent claim over 1"),
    "exam_claims_dependent": N_("Claim examination fee, each dependent claim over 10"),
    "annual_3": N_("Annual fee for the 3rd year"),
    "grant": N_("Fee for grant"),
    "amendment": N_("Fee for amendment"),
    "renewal": N_("Utility model renewal fee"),
    "conversion": N_("Conversion fee"),
    "reinstatement_bpl27": N_("Reinstatement of rights (BPL Art. 27)"),
    "reinstatement_rule_49_6": N_("Reinstatement of rights (PCT Rule 49.6)"),
    "priority_restoration": N_("Restoration of the right of priority"),
    "extension_month_1_3": N_("Extension by up to 3 months, per month"),
    "extension_month_4_6": N_("Extension by 4 to 6 months, per month"),
    "extension_month_7_plus": N_("Extension by more than 6 months, per month"),
}

# The Annex BY.I items a user can ask a quote for (core.fees.ITEMS): the quote's title.
ITEM_LABELS: dict[str, str] = {
    "national": N_("National fee"),
    "grant": N_("Fee for grant"),
    "annual": N_("Annual (maintenance) fee"),
    "amendment": N_("Fee for amendment"),
    "extension": N_("Extension of a time limit"),
    "reinstatement": N_("Reinstatement after a missed entry (PCT Rule 49.6)"),
    "reinstatement-rights": N_("Reinstatement of rights (BPL Art. 27)"),
    "priority-restoration": N_("Restoration of the right of priority"),
    "renewal": N_("Utility model renewal fee"),
    "conversion": N_("Conversion fee"),
}

REDUCTION_LABELS: dict[str, str] = {
    "natural_person": N_("natural person −75%"),
    "examination_isr": N_("ISR/IPER established −50%"),
}

# The events a user records (`core.lifecycle.EVENT_WORDS`): what each is called in a sentence
# ("Recorded: {what}"), by `EventKind` value.
EVENT_LABELS: dict[str, str] = {
    "entry_made": N_("national phase entered"),
    "entry_incomplete": N_("national phase entered without the translation or the fee"),
    "translation_filed": N_("translation furnished"),
    "national_fee_paid": N_("national fee paid on the Office's invitation"),
    "examination_requested": N_("examination requested"),
    "grant_decision_received": N_("decision to grant received"),
    "grant_fee_paid": N_("fee for grant paid"),
    "annuity_paid": N_("annual fee for year {year} paid"),
    "claims_invitation_received": N_("invitation to pay the missing claims fee received"),
    "claims_fee_paid": N_("missing claims fee paid"),
    "extension_invitation_sent": N_("the Office's invitation to respond sent"),
    "extension_requested": N_("extension of the time limit requested"),  # + the months
    "response_filed": N_("response to the Office's invitation filed"),
    "time_limit_missed": N_("time limit missed"),
    "reinstatement_requested": N_("reinstatement of rights requested"),
    "art25_decision_received": N_("Office's decision on a review under PCT Art. 25 received"),
    "appeal_filed": N_("appeal to the Board of Appeal filed (BY.18)"),
    "extended_term": N_("extension of the term requested"),
    "patent_granted": N_("patent granted"),
    "lapsed": N_("patent lapsed"),
    "restored": N_("patent restored"),
}
ANNUITY_NO_YEAR_LABEL = N_("annual fee paid")

STATUS_LABELS: dict[str, str] = {
    "open": N_("open"),
    "overdue": N_("overdue"),
}


def event_label(kind: str, year: int | None = None) -> str:
    """The msgid for a recorded event (format `{year}` after translating); an event kind
    this table does not know yet is named by its code."""
    if kind == "annuity_paid" and year is None:
        return ANNUITY_NO_YEAR_LABEL
    return EVENT_LABELS.get(kind, kind)


KIND_LABELS: dict[str, str] = {
    "patent": N_("patent for invention"),
    "utility-model": N_("utility model"),
}


def deadline_label(code: str, year: int | None = None) -> str:
    """The msgid for a deadline code (format `{year}` after translating)."""
    if code.startswith("annual_"):
        return ANNUAL_GRACE_LABEL if code.endswith("_grace") else ANNUAL_LABEL
    return DEADLINE_LABELS[code]


def fee_label(code: str) -> str:
    if code.startswith("annual_") and code != "annual_3":
        return ANNUAL_LABEL
    return FEE_LABELS[code]


# What an answer must warn of, by code (docs/RULES.md §2, "Warnings"): each sentence names its
# paragraph. `core.lifecycle.deadline_warnings` says which a deadline carries, `core.fees`
# which a quote carries.
WARNINGS: dict[str, str] = {
    "no_extension": N_(
        "This time limit cannot be extended or reinstated: without the request the Office "
        "refuses the grant (BY.08)."
    ),
    "entry_missed": N_(
        "The entry time limit has passed: rights can be reinstated within 12 months "
        "(BY.16, PCT Rule 49.6) — see the reinstatement deadline."
    ),
    "entry_late": N_(
        "The entry was made after its time limit: the rights are kept only if the request for "
        "reinstatement is filed and the reinstatement fee paid by this date (BY.16, PCT Rule "
        "49.6). When the request is filed, record it (reinstatement)."
    ),
    "late_annual": N_(
        "An annual fee paid late, within the six months of grace, costs 50% more and needs a "
        "request for extension of time filed with it (BY.12)."
    ),
    "may_have_lapsed": N_(
        "The grace period has ended with no payment recorded: the patent may have lapsed. "
        "It can be restored on request (BY.17). If it was paid, record the payment; if it "
        "lapsed, record that (lapsed) to see the restoration route."
    ),
    "may_have_lapsed_um": N_(
        "The grace period has ended with no payment recorded: the utility model may have "
        "lapsed. It can be restored on request (BY.17). If it was paid, record the payment; if "
        "it lapsed, record that (lapsed) to see the restoration route."
    ),
    "late_grant": N_(
        "The fee for grant paid within the six months after its time limit is increased by "
        "50% (BY.10)."
    ),
    "grant_fee_unpaid": N_(
        "The time for the fee for grant, with its six months of grace, has ended with no "
        "payment recorded: without that fee the grant is not made (BY.10). If it was paid, "
        "record the payment (grant-fee)."
    ),
    "ask_office": N_(
        "The restoration fee (BY.17) and its time limit are not in the published schedule: "
        "ask the Office (consultation +375 17 272 97 14, as published on 2 April 2021; current "
        "numbers on ncip.by)."
    ),
    "um_years_9_10": N_(
        "Years 9 and 10 exist only if the term is extended by more than three years: the "
        "Guide allows up to five (BY.21), some Belarusian firms cite three — confirm with the "
        "Office."
    ),
    "extended_patent_only": N_(
        "Years 21 to 25 apply only to a patent whose term was extended (a product that needs "
        "a marketing authorisation); their fee is in Annex BY.I."
    ),
    "extension_beyond_3": N_(
        "An extension of more than 3 months is possible only in a patent's substantive "
        "examination; in preliminary examination, and for a utility model, at most 3 months "
        "(BY.15)."
    ),
}
