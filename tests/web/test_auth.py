"""Telegram's launch data validated as Telegram documents it (HMAC-SHA256, secret key
HMAC_SHA256("WebAppData", bot_token), auth_date within 24 hours)."""

from __future__ import annotations

import datetime as dt

import pytest

from web.auth import MAX_AGE, LaunchRefused, Refusal, from_header, launch_data, validate

# A vector computed by another implementation (aiogram's tests of its WebApp check), not by
# this module: token "42:TEST".
AIOGRAM = (
    "auth_date=1650385342&user=%7B%22id%22%3A42%2C%22first_name%22%3A%22Test%22%7D"
    "&query_id=test&hash=46d2ea5e32911ec8d30999b56247654460c0d20949b6277af519e76271182803"
)
SIGNED_AT = dt.datetime.fromtimestamp(1650385342, dt.UTC)


def test_a_vector_signed_elsewhere_validates() -> None:
    launch = validate(AIOGRAM, "42:TEST", SIGNED_AT + dt.timedelta(hours=1))
    assert launch.user_id == 42 and launch.first_name == "Test"
    with pytest.raises(LaunchRefused) as refused:
        validate(AIOGRAM, "42:INVALID", SIGNED_AT)
    assert refused.value.reason is Refusal.FORGED


@pytest.mark.parametrize(
    ("age", "fine"),
    [
        (dt.timedelta(0), True),
        (MAX_AGE, True),
        (MAX_AGE + dt.timedelta(seconds=1), False),
        (-dt.timedelta(seconds=60), True),  # a minute of clock skew
        (-dt.timedelta(seconds=61), False),
    ],
)
def test_auth_date_within_24_hours(age: dt.timedelta, fine: bool) -> None:
    now = dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC)
    data = launch_data(7, "1:T", now - age, language_code="be")
    if fine:
        launch = validate(data, "1:T", now)
        assert launch.user_id == 7 and launch.language_code == "be"
    else:
        with pytest.raises(LaunchRefused) as refused:
            validate(data, "1:T", now)
        assert refused.value.reason is Refusal.STALE


@pytest.mark.parametrize(
    "user",
    ['{"id":0}', '{"id":-5}', '{"id":"7"}', '{"id":true}', '{"id":4503599627370496}', "[]", "x"],
)
def test_a_signed_but_impossible_user_is_refused(user: str) -> None:
    from urllib.parse import parse_qsl, urlencode

    from web.auth import sign

    now = dt.datetime(2026, 1, 12, tzinfo=dt.UTC)
    fields = dict(parse_qsl(launch_data(7, "1:T", now)))
    fields["user"] = user
    fields["hash"] = sign(fields, "1:T")
    with pytest.raises(LaunchRefused) as refused:
        validate(urlencode(fields), "1:T", now)
    assert refused.value.reason is Refusal.FORGED


def test_every_field_counts_and_none_may_come_twice() -> None:
    now = dt.datetime(2026, 1, 12, tzinfo=dt.UTC)
    data = launch_data(7, "1:T", now, signature="abc", chat_instance="-1")
    assert validate(data, "1:T", now).user_id == 7
    for changed in (
        data.replace("signature=abc", "signature=abd"),
        data.replace("chat_instance=-1", "chat_instance=-2"),
        data + "&extra=1",
        data + "&auth_date=1",
        "x" * 9000,
    ):
        with pytest.raises(LaunchRefused) as refused:
            validate(changed, "1:T", now)
        assert refused.value.reason is Refusal.FORGED
    for nothing in ("", None):
        with pytest.raises(LaunchRefused) as refused:
            validate(nothing, "1:T", now)
        assert refused.value.reason is Refusal.MISSING


def test_the_header() -> None:
    assert from_header("tma a=1&b=2") == "a=1&b=2"
    assert from_header("TMA  a=1 ") == "a=1"
    assert from_header("Bearer x") is None and from_header("tma ") is None
    assert from_header(None) is None
