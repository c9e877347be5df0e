"""The FAQ data: complete in ru/be/en, cited, and true to the seeds (Annex BY.I verbatim)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.faq import LANGS, load_faq
from core.faq.models import MAX_ANSWER_CHARS, TopicText

# The Guide the accounts are copied from (Annex BY.I; docs/sources/README.md)
SEED = Path(__file__).resolve().parents[2] / "docs" / "sources" / "pct-applicants-guide-BY.txt"

# FAQ-TOPICS.md: the ids are part of the public interface.
TOPIC_IDS = [
    "entry_time_limit",
    "translation",
    "copy_of_application",
    "national_fee_patent",
    "national_fee_utility_model",
    "fee_reductions",
    "fee_payment",
    "agent",
    "priority_restoration",
    "priority_assignment",
    "entry_form",
    "claims_fee",
    "examination_request",
    "grant_fee",
    "amendments",
    "maintenance_fees",
    "early_start",
    "reinstatement",
    "extension_of_time",
    "patent_restoration",
    "review_art25",
    "utility_model",
    "conversion",
    "contacts",
    "belarus_russia_cooperation",
]

# Annex BY.I, "How can payment of fees be effected?"
ACCOUNTS = {
    "Belarusian roubles": "BY04AKBB3603900000082",
    "Euros": "BY84AKBB3603900000109",
    "Russian roubles": "BY50AKBB3603900000066",
    "Swiss francs": "BY49AKBB3603900000079",
    "US dollars": "BY03AKBB3603900000095",
}
FILING_PHONE = "+375 17 272 98 43"  # ncip-news-2021-04-02: filing of applications
CONSULTATION_PHONE = "+375 17 272 97 14"  # ncip-news-2021-04-02: consultation on IP

faq = load_faq()


def body(topic: str, lang: str) -> str:
    return faq.answer(topic, lang).body  # type: ignore[arg-type]


def amounts(text: str) -> set[str]:
    """Money-looking numbers, with the decimal comma of ru/be read as a point."""
    return {m.replace(",", ".") for m in re.findall(r"\d+[.,]\d{2}\b|\b\d{2,3}\b", text)}


def assert_says(topic: str, *facts: str) -> None:
    """Every language's answer to `topic` states each fact (numbers as written in the seeds)."""
    for lang in LANGS:
        found = amounts(body(topic, lang)) | {body(topic, lang)}
        for fact in facts:
            assert fact in found or fact in body(topic, lang).replace(",", "."), (
                f"{topic}/{lang} does not say {fact}"
            )


def test_topics_are_the_published_ids_in_order() -> None:
    assert faq.topics == TOPIC_IDS


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("topic", TOPIC_IDS)
def test_every_topic_has_title_answer_basis_in_every_language(topic: str, lang: str) -> None:
    answer = faq.answer(topic, lang)
    assert answer.topic == topic and answer.lang == lang
    assert answer.title and answer.body and answer.basis.strip()
    assert len(answer.body) <= MAX_ANSWER_CHARS
    assert answer.basis in answer.text  # the citation is shown with the answer
    for command in answer.calculator:
        assert command in answer.text
    assert len(faq.paraphrases(topic, lang)) >= 5


def test_basis_cites_the_paragraphs_of_faq_topics() -> None:
    expected = {
        "translation": ["BY.02", "BY.03"],
        "claims_fee": ["BY.06"],
        "examination_request": ["BY.07", "BY.08", "BY.09"],
        "grant_fee": ["BY.10"],
        "amendments": ["BY.11"],
        "maintenance_fees": ["BY.12", "BY.I"],
        "early_start": ["BY.13"],
        "reinstatement": ["BY.14", "BY.16"],
        "extension_of_time": ["BY.15"],
        "patent_restoration": ["BY.17"],
        "review_art25": ["BY.18"],
        "utility_model": ["BY.19", "BY.20", "BY.21"],
        "conversion": ["BY.22"],
        "entry_form": ["BY.01", "BY.II", "BY.III"],
        "agent": ["BY.04"],
        "priority_restoration": ["49ter.2"],
        "priority_assignment": ["4.17"],
        "entry_time_limit": ["22(3)", "39(1)(b)"],
    }
    for topic, paragraphs in expected.items():
        for lang in LANGS:
            for paragraph in paragraphs:
                assert paragraph in faq.answer(topic, lang).basis, (topic, lang, paragraph)


def test_computable_topics_point_to_a_calculator() -> None:
    for topic in ("national_fee_patent", "fee_reductions", "grant_fee", "maintenance_fees"):
        assert "/fees" in faq.answer(topic, "en").calculator
    for topic in ("entry_time_limit", "examination_request", "reinstatement", "review_art25"):
        assert "/deadlines" in faq.answer(topic, "en").calculator


CURRENCY_LABELS: dict[str, dict[str, str]] = {
    "en": {},
    "ru": {
        "Belarusian roubles": "Белорусские рубли",
        "Euros": "Евро",
        "Russian roubles": "Российские рубли",
        "Swiss francs": "Швейцарские франки",
        "US dollars": "Доллары США",
    },
    "be": {
        "Belarusian roubles": "Беларускія рублі",
        "Euros": "Еўра",
        "Russian roubles": "Расійскія рублі",
        "Swiss francs": "Швейцарскія франкі",
        "US dollars": "Долары ЗША",
    },
}


def test_payment_accounts_are_annex_by_i_verbatim_in_every_language() -> None:
    seed = SEED.read_text(encoding="utf-8")
    for currency, account in ACCOUNTS.items():
        assert re.search(rf"{currency}:\s+{account}\b", seed), "seed changed?"
        for lang in LANGS:
            label = CURRENCY_LABELS[lang].get(currency, currency)  # labels translated
            assert f"{label}: <b>{account}</b>" in body("fee_payment", lang)
    for lang in LANGS:
        text = body("fee_payment", lang)
        assert "AKBBBY 2X" in text and "190310695" in text and "00040175" in text
        # No other account-like string: a typo'd account would be caught here.
        assert set(re.findall(r"BY\d\d[A-Z]{4}\d+", text)) == set(ACCOUNTS.values())


def test_fee_amounts_follow_annex_by_i() -> None:
    assert_says("national_fee_patent", "122.50", "49", "588", "294", "343")
    assert_says("national_fee_utility_model", "245", "122.50", "49")
    assert_says("fee_reductions", "75%", "50%", "73.50")
    assert_says("grant_fee", "245", "367.50", "50%")
    assert_says("amendments", "49")
    assert_says("priority_restoration", "98")
    assert_says("conversion", "122.50")
    assert_says("reinstatement", "122.50", "465.50")
    assert_says("extension_of_time", "24.50", "73.50", "122.50")
    assert_says(
        "maintenance_fees",
        *[
            "122.50",
            "171.50",
            "245",
            "294",
            "343",
            "416.50",
            "465.50",
            "539",
            "588",
            "808.50",
            "50%",
        ],
    )
    assert_says("utility_model", "98", "147", "245", "171.50", "465.50")
    assert_says("examination_request", "588", "294")


def test_time_limits_follow_the_guide() -> None:
    assert_says("entry_time_limit", "31", "12")
    assert_says("reinstatement", "12")
    for lang, three_years in (("en", "three years"), ("ru", "трёх лет"), ("be", "трох гадоў")):
        assert three_years in body("examination_request", lang)


def test_contacts_and_what_the_schedule_does_not_list() -> None:
    for lang in LANGS:
        assert FILING_PHONE in body("contacts", lang)
        assert CONSULTATION_PHONE in body("contacts", lang)
        # BY.17: the restoration fee is not in Annex BY.I → ask the Office.
        assert CONSULTATION_PHONE in body("patent_restoration", lang)
        assert "75%" in body("fee_reductions", lang)


def test_only_simple_telegram_html_is_allowed() -> None:
    with pytest.raises(ValueError, match="only <b> and <i>"):
        TopicText(title="x" * 5, answer="<a href='x'>link</a> " * 3, paraphrases=("a", "b", "c"))
    for topic in TOPIC_IDS:
        for lang in LANGS:
            tags = set(re.findall(r"</?(\w+)", faq.answer(topic, lang).text))
            assert tags <= {"b", "i"}


def test_belarusian_texts_use_belarusian_letters_not_russian() -> None:
    for topic in TOPIC_IDS:
        text = body(topic, "be") + faq.title(topic, "be")
        cyrillic = re.sub(r"[^а-яёіўА-ЯЁІЎ]", "", text)
        assert not set(cyrillic.lower()) & set("иъщ"), (topic, "Russian letters in be text")


PUBLISHED = {"en": "2 April 2021", "ru": "2 апреля 2021", "be": "2 красавіка 2021"}


@pytest.mark.parametrize("lang", LANGS)
def test_every_phone_number_comes_with_its_date_and_ncip_by(lang: str) -> None:
    """ncip-news-2021-04-02.txt: the numbers as published that day; the current ones are on
    the Office's site."""
    for topic in TOPIC_IDS:
        text = body(topic, lang)
        if "+375" in text:
            assert PUBLISHED[lang] in text and "ncip.by" in text, (topic, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_contacts_say_the_address_is_not_in_the_seeds(lang: str) -> None:
    text = body("contacts", lang)
    assert {"en": "address", "ru": "Адреса", "be": "Адраса"}[lang] in text
    assert text.count("ncip.by") >= 2  # the current numbers, and the address


@pytest.mark.parametrize("lang", LANGS)
def test_agent_says_whether_a_foreign_applicant_must_appoint_one(lang: str) -> None:
    """Summary ("Who can act as agent?") and BY.04 name who may act and when, not who must."""
    text = body("agent", lang)
    for fact in ("BY.04", "BY.II", "BY.III", PUBLISHED[lang]):
        assert fact in text, (lang, fact)
    must = {"en": "does not say", "ru": "не говорит", "be": "не кажа"}[lang]
    assert must in text
