"""Refusals: an HTTP status and one clear sentence, sent to the page as {"error": ...}."""


class Problem(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def not_found(what: str) -> Problem:
    return Problem(404, f"{what} was not found.")
