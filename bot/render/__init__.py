"""What the bot says, and how: everything a feature needs to answer.

- `html`: `Markup` (our HTML) and `esc`/`render` — every dynamic value is escaped here;
- `text`: shortening what users typed, splitting long replies;
- `i18n`: the translator for a language (the user's is `context.t`);
- `reply`: `answer`, `send`, `ack`, buttons and keyboards;
- `views`: the texts and keyboards several features show (quotes, deadlines, the menu, the
  deadline buttons).

Nothing here imports a feature; this package `__init__` imports nothing, so a feature importing
one module does not load the others.
"""
