"""Errors a user can fix. The CLI prints them as one line and exits with code 2."""


class UserError(Exception):
    """Bad user input: an unreadable file, a wrong format, an empty folder, an option out of range.

    The message is one clear sentence that says what is wrong and, where possible, what to do.
    """
