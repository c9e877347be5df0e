"""One module per `pctby` sub-command; each exposes `register(subparsers)`.

Modules import their heavy dependencies inside the command function, so that
`pctby deadlines --json` starts fast as a process.
"""
