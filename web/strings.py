"""The words of the case desk's page, as gettext msgids: the page has no text of its own, it
asks `/api/session` for these in the user's language (ru, be, en) and puts them in the page
as text (never as HTML).

Msgids shared with the chat (the days left, "No open deadlines.", "Timeline"…) are the chat's
own, so a wording is translated once.
"""

from __future__ import annotations

from core.errors import N_
from core.i18n import Translator

UI: dict[str, str] = {
    # the frame
    "app_title": N_("Case desk"),
    "nav_cases": N_("Cases"),
    "nav_add": N_("Add a case"),
    "nav_transfer": N_("Import and export"),
    "language": N_("Language"),
    "loading": N_("Loading…"),
    "network_error": N_("The server did not answer. Check the connection and try again."),
    "not_found": N_("There is no such case among yours."),
    "back": N_("Back to the table"),
    # the table
    "search": N_("Search by reference or title"),
    "filter": N_("Show"),
    "filter_all": N_("All cases"),
    "sort_by": N_("Sort by"),
    "reverse": N_("Reverse the order"),
    "col_ref": N_("Reference"),
    "col_kind": N_("Kind"),
    "col_title": N_("Title"),
    "col_next": N_("Next deadline"),
    "col_days": N_("Days left"),
    "col_status": N_("Status"),
    "no_cases": N_("You have no cases yet."),
    "no_match": N_("No case matches."),
    "show_more": N_("Show more"),
    # TRANSLATORS: above the table, e.g. "Shown: 100 of 250"
    "shown": N_("Shown: {shown} of {matched}"),
    "reminders_stopped": N_("(reminders stopped)"),
    # a team's case
    # TRANSLATORS: {team} is the team's name, {role} the user's role in it (owner, attorney…)
    "team_line": N_("Team: {team} (you: {role})"),
    "handled_by": N_("Handled by {name}."),
    "read_only": N_("Viewers of {team} see its cases but do not change them."),
    # a case
    "priority": N_("Priority date"),
    "no_priority": N_("No priority claimed"),
    "filing": N_("International filing date"),
    "publication": N_("International publication"),
    "natural_person": N_("The applicant is a natural person (fees −75%)"),
    "alerts_on": N_("Reminders before each deadline"),
    "open_deadlines": N_("Open deadlines"),
    "no_open": N_("No open deadlines."),
    "nominal": N_("Nominal date"),
    "basis": N_("Basis"),
    "amount": N_("Amount"),
    "in_grace_amount": N_("In grace"),
    "events": N_("Recorded events"),
    "no_events": N_("No events recorded yet."),
    "undo": N_("Undo"),
    "record_title": N_("Record an event"),
    "event": N_("Event"),
    "year": N_("Year"),
    "date": N_("Date"),
    "record": N_("Record"),
    "timeline": N_("Timeline"),
    "timeline_alt": N_("The case's open deadlines on a time axis"),
    "delete": N_("Delete"),
    "delete_ask": N_("Delete the case with its payments and reminders? This cannot be undone."),
    "delete_yes": N_("Yes, delete"),
    "delete_no": N_("No, keep it"),
    # adding a case
    "add_title": N_("Add a case"),
    "ref_hint": N_("One word, for example PCT/IB2024/050123 or my-ref-7."),
    "kind": N_("Kind"),
    "priority_hint": N_("Leave it empty if no priority is claimed."),
    "title_optional": N_("Title (optional)"),
    "save": N_("Save the case"),
    # import and export
    "import_title": N_("Import cases from CSV"),
    "import_hint": N_(
        "A CSV file with a header row: ref, kind and filing_date at least (an export from "
        "here or from the chat works as it is). Every bad row is reported and then nothing "
        "is written."
    ),
    "import_file": N_("CSV file"),
    "import_go": N_("Import"),
    "export_title": N_("Download"),
    "export_csv": N_("Cases as a table (CSV)"),
    "export_ics": N_("Deadlines as a calendar (ICS)"),
    # sign-in refused
    "refused_title": N_("Sign-in refused"),
    "refused_missing": N_(
        "This page opens from the bot in Telegram, which signs you in. Open it there with "
        "the menu button or /desk."
    ),
    "refused_forged": N_(
        "The sign-in data is not valid for this bot. Open the desk again from the bot in Telegram."
    ),
    "refused_stale": N_(
        "The sign-in data is more than 24 hours old. Close the desk and open it again from "
        "the bot in Telegram."
    ),
}


def ui_strings(t: Translator) -> dict[str, str]:
    return {key: t.gettext(msgid) for key, msgid in UI.items()}
