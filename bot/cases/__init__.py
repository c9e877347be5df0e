"""The user's cases (being split into one module per part)."""

from bot.cases.card import *  # noqa: F403
from bot.cases.card import CANCELLED, FLOW, MENU_ACTIONS, TEXT_STEPS, handlers  # noqa: F401
