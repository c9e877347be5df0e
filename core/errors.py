"""Bad input, reported as one clear, translatable sentence.

The message is an English gettext msgid with `{placeholders}`; a front-end translates it for its
user (`core.i18n.Translator.error`) — core itself never picks a language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def N_(message: str) -> str:
    """Marks a msgid for extraction without translating it here."""
    return message


class InputError(Exception):
    """Not a ValueError on purpose: pydantic would wrap a ValueError raised in a model."""

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(template.format(**params))


@dataclass(frozen=True, slots=True)
class Phrase:
    """A translatable part of an error sentence, given as one of its parameters (an event's
    name inside "Cannot record “{event}”…"): the front-end translates it with the sentence
    (`core.i18n.Translator.error_params`). Its `str` is the English text."""

    template: str
    year: int | None = None

    def __str__(self) -> str:
        return self.template.format(year=self.year)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class SettingsError(Exception):
    """The settings (PCTBY_* variables, `.env`) cannot be used: one sentence naming the variable,
    never a secret (`core.settings`; exit status 3)."""


class DatabaseUnusable(RuntimeError):
    """The database cannot be used by this program: written by a newer pctby, damaged, or not a
    pctby database (`core.storage`; exit status 4). The message is one sentence."""


class ScheduleProblems(Exception):
    """A fee schedule document that cannot be installed (`core.schedule_document`);
    `problems`: one sentence each."""

    def __init__(self, problems: list[InputError]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
