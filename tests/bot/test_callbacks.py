"""The typed callback data (`bot.parse.callbacks`): every declared button round-trips, the
buttons already in users' chats (today's wire strings) decode to the same typed values, and any
other data — forged, from another version, too long — decodes to None, never an exception."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from typing import Annotated, Any, Literal, get_args, get_origin, get_type_hints

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import cases
from bot.handlers import (
    MENU_ACTIONS,
    common,
    deadlines,
    entryform,
    faq,
    fees,
    reminders,
    teams,
    transfer,
)
from bot.parse.buttons import (
    AlertPaid,
    AskStaff,
    CaseButton,
    CloseTicket,
    DeadlineAct,
    DeadlineRoute,
    Menu,
    MenuEntry,
    ShowTimeline,
    Snooze,
    StopAlerts,
    is_deadline_code,
)
from bot.parse.callbacks import (
    MAX_BYTES,
    MAX_INT,
    Between,
    CallbackData,
    Choice,
    Token,
    declared,
)
from core.entryform import RepresentativeRole
from core.lifecycle import CLOSES, ROUTES
from core.models import Kind
from tests.bot.helpers import dated

# -- the buttons already in users' chats ---------------------------------------------------------

DAY = dt.date(2027, 1, 4)

# The bot's own button types (the tests below declare a few more).
BUTTONS = tuple(k for k in declared() if k.__module__.startswith("bot."))

# Today's wire strings (as `cb()` wrote them before the codec) → the typed value they stand for.
WIRE: dict[str, CallbackData] = {
    "v1:menu:fees": Menu("fees"),
    "v1:menu:help": Menu("help"),
    "v1:lang:set:be": common.SetLanguage("be"),
    "v1:fees:new": fees.NewQuote(),
    "v1:fees:other": fees.OtherFees(),
    "v1:fees:kind:patent": fees.NationalKind(Kind.PATENT),
    "v1:fees:np:1": fees.NaturalPerson(True),
    "v1:fees:isr:0": fees.SearchReport(False),
    "v1:fees:item:annual": fees.Item("annual"),
    "v1:fees:ikind:um": fees.ItemKind(Kind.UTILITY_MODEL),
    "v1:fees:late:1": fees.ItemLate(True),
    "v1:fees:inp:0": fees.ItemNaturalPerson(False),
    "v1:dl:new": deadlines.OtherDates(),
    "v1:dl:same": deadlines.SameDate(),
    "v1:dl:nopri": deadlines.NoPriority(),
    "v1:faq:t:grant_fee": faq.Topic("grant_fee"),
    "v1:faq:g:fees": faq.Group("fees"),
    "v1:faq:top": faq.AllTopics(),
    "v1:case:nopri": cases.AddNoPriority(),
    "v1:case:kind:um": cases.AddKind(Kind.UTILITY_MODEL),
    "v1:case:show:42": cases.ShowCard(42),
    "v1:case:page:1": cases.CasesPage(1),
    "v1:case:why:42:annual_4": cases.Why(42, "annual_4"),
    "v1:case:resume:42": cases.Resume(42),
    "v1:case:del:42": cases.Delete(42),
    "v1:case:delyes:42": cases.DeleteYes(42),
    "v1:case:keep:42": cases.Keep(42),
    "v1:case:keep:0": cases.Keep(0),
    "v1:case:forgetyes": cases.ForgetYes(),
    "v1:case:np:1": cases.AddNatural(True),
    "v1:case:setnp:42:0": cases.SetNatural(42, False),
    "v1:case:events:42": cases.Events(42),
    "v1:case:unrec:42:7": cases.Unrecord(42, 7),
    "v1:case:paidpast:42": cases.PaidPast(42),
    "v1:imp:paid:1796000000": transfer.PaidImported(1796000000),
    "v1:imp:paidt:1796000000:3": transfer.PaidImportedTeam(1796000000, 3),
    "v1:imp:into:0": transfer.ImportInto(0),
    "v1:imp:into:3": transfer.ImportInto(3),
    "v1:team:dissolve:3": teams.Dissolve(3),
    "v1:team:keep": teams.KeepTeam(),
    "v1:case:act:42:annual_4_grace:20270104": DeadlineAct(42, "annual_4_grace", DAY),
    "v1:case:act:7:translation:20280229": DeadlineAct(7, "translation", dt.date(2028, 2, 29)),
    "v1:case:route:42:entry_reinstatement": DeadlineRoute(42, "entry_reinstatement"),
    "v1:al:paid:42:grant_fee": AlertPaid(42, "grant_fee"),
    "v1:al:sn:9001:1": Snooze(9001, 1),
    "v1:al:sn:9001:7": Snooze(9001, 7),
    "v1:al:stop:42": StopAlerts(42),
    "v1:sup:ask": AskStaff(),
    "v1:sup:close": CloseTicket(),
    "v1:tl:show:42": ShowTimeline(42),
    "v1:rem:ask:tz": reminders.Ask("tz"),
    "v1:rem:reset": reminders.Reset(),
    "v1:ef:case:42": entryform.PickCase(42),
    "v1:ef:skip": entryform.Skip(),
    "v1:ef:same": entryform.SameAsLastTime(),
    "v1:ef:done": entryform.Done(),
    "v1:ef:early:receipt": entryform.EarlyStart("receipt"),
    "v1:ef:amended:claims": entryform.Amended("claims"),
    "v1:ef:role:pa": entryform.Role(RepresentativeRole.PATENT_ATTORNEY),
    "v1:ef:role:cr": entryform.Role(RepresentativeRole.COMMON_REPRESENTATIVE),
    "v1:ef:basis:each": entryform.BasisAll("each"),
    "v1:ef:part:claims:art19": entryform.PartBasis("claims", "art19"),
    "v1:ef:title:replace": entryform.CaseTitle("replace"),
    "v1:ef:title:keep": entryform.CaseTitle("keep"),
}


@pytest.mark.parametrize(("wire", "value"), WIRE.items(), ids=list(WIRE))
def test_buttons_already_in_chats_decode_to_their_typed_value(
    wire: str, value: CallbackData
) -> None:
    assert CallbackData.decode(wire) == value
    assert type(value).decode(wire) == value
    assert value.encode() == wire  # byte-identical: a new button is the old button


def test_every_declared_button_has_a_wire_example() -> None:
    assert {type(v) for v in WIRE.values()} == set(BUTTONS)


def test_the_menu_entries_are_the_routers() -> None:
    assert set(MENU_ACTIONS) == set(get_args(MenuEntry))


def test_a_feature_decodes_its_own_buttons_only() -> None:
    assert (
        CaseButton.decode("v1:case:act:42:annual_4_grace:20270104")
        == WIRE["v1:case:act:42:annual_4_grace:20270104"]
    )
    assert CaseButton.decode("v1:case:show:42") == cases.ShowCard(42)
    assert fees.FeesButton.decode("v1:case:show:42") is None
    assert cases.ShowCard.decode("v1:case:del:42") is None
    assert DeadlineRoute.decode("v1:case:act:42:annual_4_grace:20270104") is None
    assert fees.FeesButton.matches("v1:fees:np:1")
    assert not fees.FeesButton.matches("v1:fees:np:2")


# -- round trip of every declared type -----------------------------------------------------------

CODES = st.one_of(
    st.sampled_from(sorted({*CLOSES, *ROUTES})),
    st.builds(
        lambda n, grace: f"annual_{n}{'_grace' if grace else ''}",
        st.integers(1, 99),
        st.booleans(),
    ),
)


def strategy(hint: Any) -> st.SearchStrategy[Any]:
    meta: list[Any] = []
    if get_origin(hint) is Annotated:
        hint, *meta = get_args(hint)
    for m in meta:
        if isinstance(m, Choice):
            return st.sampled_from(list(m.wire.values()))
        if isinstance(m, Between):
            return st.integers(m.low, m.high)
        if isinstance(m, Token) and m.valid is is_deadline_code:
            return CODES
        if isinstance(m, Token):
            return st.from_regex(rf"[A-Za-z0-9_.\-]{{1,{m.max_len}}}", fullmatch=True)
    if hint is bool:
        return st.booleans()
    if hint is int:
        return st.integers(0, MAX_INT)
    if hint is dt.date:
        return st.dates()
    if get_origin(hint) is Literal:
        return st.sampled_from(get_args(hint))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return st.sampled_from(list(hint))
    raise AssertionError(f"no strategy for {hint!r}")


def values_of(kind: type[CallbackData]) -> st.SearchStrategy[CallbackData]:
    hints = get_type_hints(kind, include_extras=True)
    fields = {f.name: strategy(hints[f.name]) for f in dataclasses.fields(kind)}  # type: ignore[arg-type]
    return st.builds(kind, **fields)


@pytest.mark.parametrize("kind", BUTTONS, ids=lambda k: k.__name__)
@given(data=st.data())
def test_every_declared_button_round_trips_within_64_bytes(
    kind: type[CallbackData], data: st.DataObject
) -> None:
    value = data.draw(values_of(kind))
    wire = value.encode()  # the largest values of every field still fit
    assert len(wire.encode()) <= MAX_BYTES
    assert kind.decode(wire) == value
    assert CallbackData.decode(wire) == value


# -- every rejection: None, never an exception ---------------------------------------------------

REJECTED = {
    "another version": "v2:case:show:42",
    "no version": "case:show:42",
    "an old version": "v0:gone:x",
    "unknown feature": "v1:nope:show:42",
    "unknown action": "v1:case:frob:42",
    "no action": "v1:case",
    "empty": "",
    "a field too few": "v1:case:why:42",
    "a field too many": "v1:case:show:42:43",
    "an empty field": "v1:case:show:",
    "fields on a button without": "v1:fees:new:1",
    "a negative id": "v1:case:show:-1",
    "id zero": "v1:case:show:0",
    "a huge int": "v1:case:show:" + "9" * 40,
    "just over 2**63-1": f"v1:case:show:{MAX_INT + 1}",
    "a leading zero": "v1:case:show:042",
    "a plus sign": "v1:case:show:+42",
    "spaces": "v1:case:show: 42",
    "a trailing newline": "v1:case:show:42\n",
    "fullwidth digits": "v1:case:show:４２",
    "arabic-indic digits": "v1:case:show:٤٢",
    "a float": "v1:case:show:4.2",
    "a bool of 2": "v1:fees:np:2",
    "a bool of true": "v1:fees:np:true",
    "a kind not on the wire": "v1:fees:kind:utility-model",
    "an item not offered": "v1:fees:item:national",
    "a language we do not speak": "v1:lang:set:de",
    "a non-ascii language": "v1:lang:set:бе",
    "a menu entry nobody routes": "v1:menu:admin",
    "an impossible date": "v1:case:act:42:annual_4:20270230",
    "a date with dashes": "v1:case:act:42:annual_4:2027-01-04",
    "a short date": "v1:case:act:42:annual_4:2027014",
    "year zero": "v1:case:act:42:annual_4:00000104",
    "an unknown deadline code": "v1:case:why:42:annual_x",
    "a made-up code": "v1:case:route:42:lunch",
    "a non-ascii code": "v1:case:why:42:аnnual_4",  # Cyrillic а
    "a non-ascii topic": "v1:faq:t:патент",
    "a topic with a space": "v1:faq:t:grant fee",
    "a topic over 40": "v1:faq:t:" + "a" * 41,
    "over 64 bytes": "v1:faq:t:" + "a" * 60,
    "a part's option of another": "v1:ef:part:claims:lunch",
    "a step not offered": "v1:rem:ask:admin",
    "a group not offered": "v1:faq:g:admin",
}


@pytest.mark.parametrize("data", REJECTED.values(), ids=list(REJECTED))
def test_anything_else_decodes_to_none(data: str) -> None:
    assert CallbackData.decode(data) is None
    assert not CallbackData.matches(data)


@pytest.mark.parametrize("data", [None, 42, b"v1:case:show:42", ["v1:case:show:42"]])
def test_data_that_is_not_a_string_decodes_to_none(data: object) -> None:
    assert CallbackData.decode(data) is None


@given(st.text(max_size=80))
def test_decode_never_raises(text: str) -> None:
    CallbackData.decode(text)
    CallbackData.decode("v1:case:" + text)
    CallbackData.decode("v1:case:act:" + text)


@given(st.lists(st.text(max_size=12), max_size=6))
def test_decode_of_any_fields_never_raises(fields: list[str]) -> None:
    for prefix in ("v1:case:act", "v1:case:why", "v1:ef:part", "v1:fees:np", "v1:menu"):
        CallbackData.decode(":".join((prefix, *fields)))


# -- encoding our own values: a wrong value is our bug, raised -----------------------------------


@dataclasses.dataclass(frozen=True)
class _Long(CallbackData, feature="test", action="long"):
    text: Annotated[str, Token(60)]


@pytest.mark.parametrize(
    "value",
    [
        cases.ShowCard(0),
        cases.ShowCard(-1),
        cases.ShowCard(MAX_INT + 1),
        cases.ShowCard(True),
        cases.Why(1, "lunch"),
        cases.Why(1, "a:b"),
        fees.Item("national"),
        fees.NationalKind("patent!"),  # type: ignore[arg-type]
        DeadlineAct(1, "annual_4", dt.datetime(2027, 1, 4)),
        _Long("x" * 61),
        _Long("x" * 60),  # a valid token, but over 64 bytes on the wire
    ],
    ids=repr,
)
def test_encoding_a_value_out_of_its_field_raises(value: CallbackData) -> None:
    with pytest.raises(ValueError):
        value.encode()


def test_a_field_type_the_codec_does_not_carry_is_refused_when_declared() -> None:
    with pytest.raises(TypeError, match="needs a Between, Token or Choice"):

        @dataclasses.dataclass(frozen=True)
        class _Free(CallbackData, feature="test", action="free"):
            text: str


def test_a_prefix_is_declared_once() -> None:
    with pytest.raises(TypeError, match="already"):

        @dataclasses.dataclass(frozen=True)
        class _Again(CallbackData, feature="case", action="show"):
            case_id: int


# -- the bot: what it sends decodes; what it does not know is an expired button ------------------


@dated
async def test_every_button_the_features_send_decodes(chat) -> None:
    user = chat("en")
    sent = [
        *await user.send("/start"),
        *await user.send("/language"),
        *await user.send("/fees"),
        *await user.send("/deadlines"),
        *await user.send("/ask"),
        *await user.send("/reminders"),
        *await user.send("/addcase A-1 15.03.2024 10.03.2025"),
        *await user.send("/entryform"),
        *await user.send("/forget"),
    ]
    wires = [b["callback_data"] for reply in sent for b in reply.buttons]
    assert len(wires) > 30
    for wire in wires:
        assert CallbackData.decode(wire) is not None, wire
