"""Matching questions to topics: per language, across languages, typos, off-topic, top(n)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.faq import CONFIDENCE_THRESHOLD, LANGS, load_faq
from core.faq.text import guess_lang, normalise, stem_be, tokens

faq = load_faq()

# Questions written for these tests (not the paraphrases in the data, not the eval set).
CASES = [
    ("en", "By when do I have to file for the national phase in Belarus?", "entry_time_limit"),
    ("en", "Can my translation be in Belarusian instead of Russian?", "translation"),
    ("en", "What are the bank details to transfer the fee in euros?", "fee_payment"),
    ("en", "Is an individual inventor entitled to pay lower fees?", "fee_reductions"),
    ("en", "What's the phone number for consultations?", "contacts"),
    ("en", "How much is the yearly fee to keep my patent alive in year 7?", "maintenance_fees"),
    ("en", "The patent lapsed because I did not pay, can it be restored?", "patent_restoration"),
    ("ru", "До какой даты нужно перейти на национальную фазу?", "entry_time_limit"),
    ("ru", "Сколько стоит подать заявку на полезную модель?", "national_fee_utility_model"),
    ("ru", "Кто вправе ходатайствовать о проведении экспертизы и когда?", "examination_request"),
    ("ru", "Можно ли превратить заявку на изобретение в полезную модель?", "conversion"),
    ("ru", "Какой телефон у НЦИС для консультаций?", "contacts"),
    ("ru", "Нужно ли назначать патентного поверенного?", "agent"),
    ("be", "Колькі каштуе выдача патэнта?", "grant_fee"),
    ("be", "Ці трэба падаваць копію міжнароднай заяўкі?", "copy_of_application"),
    ("be", "Як падоўжыць тэрмін адказу на запыт эксперта?", "extension_of_time"),
    ("be", "Якія рахункі для аплаты пошлін у доларах?", "fee_payment"),
    ("be", "Што рабіць, калі прапушчаны тэрмін пераходу?", "reinstatement"),
]


@pytest.mark.parametrize(("lang", "question", "topic"), CASES)
def test_questions_match_their_topic(lang: str, question: str, topic: str) -> None:
    m = faq.match(question, lang=lang)  # type: ignore[arg-type]
    assert m.topic == topic, (question, m.candidates)
    assert CONFIDENCE_THRESHOLD <= m.score <= 1.0
    assert m.lang == lang  # read in the language it is written in


def test_a_question_in_any_language_matches_whatever_the_users_language() -> None:
    for user_lang in LANGS:
        assert faq.match("Сколько стоит выдача патента?", lang=user_lang).topic == "grant_fee"
        assert faq.match("How do I restore priority?", lang=user_lang).topic == (
            "priority_restoration"
        )
        assert faq.match("Ці патрэбны пераклад?", lang=user_lang).topic == "translation"


def test_typos_and_case_do_not_break_a_match() -> None:
    assert faq.match("TRANSLATOIN INTO RUSIAN", lang="en").topic == "translation"
    assert faq.match("пошлина за выдачу патнета", lang="ru").topic == "grant_fee"
    assert faq.match("Восстановление  ПРИОРИТЕТА!!!", lang="ru").topic == "priority_restoration"


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "What is the weather like in Minsk tomorrow?"),
        ("en", "hello"),
        ("ru", "Посоветуйте хороший ресторан"),
        ("be", "Якое сёння надвор'е ў Гродне?"),
        ("en", "???"),
        ("ru", ""),
    ],
)
def test_off_topic_questions_get_no_answer(lang: str, question: str) -> None:
    m = faq.match(question, lang=lang)  # type: ignore[arg-type]
    assert m.topic is None
    # not confident, or closest to a kind of question the seeds do not answer
    assert m.score < CONFIDENCE_THRESHOLD or m.outside is not None


def test_top_offers_the_three_best_topics_best_first() -> None:
    top = faq.top("patent fee", n=3)
    assert len(top) == 3
    assert [s for _, s in top] == sorted((s for _, s in top), reverse=True)
    assert all(0.0 <= s <= 1.0 for _, s in top)
    assert len({t for t, _ in top}) == 3
    m = faq.match("patent fee")
    assert m.candidates == tuple(top)


def test_every_paraphrase_and_title_finds_its_own_topic() -> None:
    for topic in faq.topics:
        for lang in LANGS:
            for text in (faq.title(topic, lang), *faq.paraphrases(topic, lang)):
                assert faq.match(text, lang=lang).topic == topic, (topic, lang, text)


def test_every_out_of_scope_example_gets_no_answer() -> None:
    for kind in faq.outside:
        for lang in LANGS:
            for text in faq.outside_examples(kind, lang):
                m = faq.match(text, lang=lang)
                assert m.topic is None and m.outside is not None, (kind, lang, text)
                assert m.candidates == () and m.outcome == "none"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_score_in_range(text: str) -> None:
    m = faq.match(text, lang="ru")
    assert 0.0 <= m.score <= 1.0
    assert m.topic is None or m.score >= CONFIDENCE_THRESHOLD
    assert m.topic is None or m.outside is None
    assert all(t in faq.topics for t, _ in m.candidates)


def test_normalisation() -> None:
    assert normalise("Ещё, ЁЛКА — «PCT»!") == "еще елка pct"
    assert normalise("аб'ём аб’ём") == "абем абем"
    # the lexicon reads synonyms as their group's first word, in every language
    assert tokens("Пошлины за пошлину", "ru") == ["fee", "fee"] == tokens("пошліна, збор", "be")
    assert tokens("the fees of the translations", "en") == ["fee", "translat"]
    # Belarusian: forms of one word share a stem; ў and у are one letter for matching.
    assert stem_be("пошліна") == stem_be("пошліны") == stem_be("пошлінай")
    assert stem_be("заяўкі") == stem_be("заяўка") == "заяук"
    assert guess_lang(normalise("Колькі каштуе пераклад").split(), "ru") == "be"
    assert guess_lang(normalise("Сколько стоит перевод").split(), "be") == "ru"
    assert guess_lang(normalise("How much").split(), "ru") == "en"


def test_index_is_built_once() -> None:
    assert load_faq() is faq
