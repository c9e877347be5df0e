"""The `pctby` command: a front-end over `core` (and `bot` for `pctby run`)."""
