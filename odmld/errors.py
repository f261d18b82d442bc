"""The one error model: every refusal odmld makes is an `OdmldError`, whoever answers it.

An error carries what the web answers with (`status`, `title`, `detail`, `extra` members of the
problem, `headers`) and what the command line exits with (`exit_code`, from the one table below).
The web answers every one of them through web/errors.py (RFC 9457 problem details, or a page in one
language); the command line prints `str(error)` on one line and exits with `exit_code(error)`.

A `detail` is a plain string (English: the SPARQL endpoint's technical messages) or a message in both
languages (`said(nl=..., en=...)`), answered in the request's language.

Exit codes (docs/cli.md), after pySHACL's: 0 success (or conforms), 1 violations (or a failed run),
2 unreadable or bad input (bad usage too), 3 the store cannot do the work (unreachable, refused, not
what was configured), 4 the store is being written by another process (try again).
"""

from __future__ import annotations

from typing import Any, Mapping, Union

Said = Mapping[str, str]
Detail = Union[str, Said]

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
EXIT_STORE = 3
EXIT_BUSY = 4
EXIT_CODES = {  # the one table: what each exit code means
    EXIT_OK: "success, or the input conforms",
    EXIT_VIOLATIONS: "the input has violations, or the run failed",
    EXIT_BAD_INPUT: "unreadable or bad input, or bad usage",
    EXIT_STORE: "the store cannot do the work (unreachable, refused, not the one configured)",
    EXIT_BUSY: "the store is being written by another process; try again",
}


def said(nl: str, en: str) -> dict[str, str]:
    """A message in both languages; the answer picks the request's."""
    return {"nl": nl, "en": en}


def english(detail: Detail) -> str:
    return detail if isinstance(detail, str) else detail.get("en") or next(iter(detail.values()), "")


class OdmldError(Exception):
    """A refusal: `status` is the HTTP status, `extra` further members of the problem (such as a
    submission's `violations`), `headers` further response headers (Retry-After, Allow)."""

    status = 500
    title = "Internal Server Error"
    exit_code = EXIT_BAD_INPUT
    logged = False  # whether the web logs it (the operator's log has the whole message)

    def __init__(self, status: int, title: str, detail: Detail, extra: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(english(detail))
        self.status, self.title, self.detail = status, title, detail
        self.extra, self.headers = extra or {}, headers or {}

    def __reduce__(self) -> tuple:  # across processes (the writer, the query workers) as it is
        return _rebuilt, (type(self), self.args, self.__dict__)


def _rebuilt(cls: type, args: tuple, state: dict) -> OdmldError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class _Typed(OdmldError):
    """An error whose class says its status and title."""

    def __init__(self, detail: Detail, extra: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(type(self).status, type(self).title, detail, extra, headers)


class BadRequest(_Typed):
    """Unreadable or malformed input: a body that does not parse, a parameter that is not a value."""
    status, title = 400, "Bad Request"


class Unauthorized(_Typed):
    status, title = 401, "Unauthorized"


class Forbidden(_Typed):
    status, title = 403, "Forbidden"


class NotFound(_Typed):
    status, title = 404, "Not Found"


class MethodNotAllowed(_Typed):
    status, title = 405, "Method Not Allowed"


class NotAcceptable(_Typed):
    status, title = 406, "Not Acceptable"


class Conflict(_Typed):
    status, title = 409, "Conflict"


class TooLarge(_Typed):
    status, title = 413, "Content Too Large"


class UnsupportedMediaType(_Typed):
    status, title = 415, "Unsupported Media Type"


class Invalid(_Typed):
    """Readable input that breaks the rules (SHACL violations, a future date): exit 1 on the command
    line, as pySHACL's non-conformance."""
    status, title, exit_code = 422, "Unprocessable Content", EXIT_VIOLATIONS
    report: Any = None  # the SHACL report that found the violations, where one did


class Failed(_Typed):
    """A command line run that did what it could and failed (exit 1)."""
    status, title, exit_code = 500, "Internal Server Error", EXIT_VIOLATIONS


class StoreError(OdmldError):
    """The store cannot be opened, read or written; the message says why in words a user can act on.

    The command line shows the message (the store's address in it); the web answers 503 with the
    store's own words only, and logs the message."""

    status, title, exit_code, logged = 503, "Service Unavailable", EXIT_STORE, True

    def __init__(self, message: str, words: str = "") -> None:
        super().__init__(503, "Service Unavailable", "the store could not complete this request"
                         + (f"; it said: {words}" if words else ""))
        self.args, self.words = (message,), words


class StoreBusy(StoreError):
    """The store is being written by another process that did not finish in time."""
    exit_code = EXIT_BUSY


def exit_code(error: BaseException) -> int:
    """The command line's exit code for `error` (the table above)."""
    return error.exit_code if isinstance(error, OdmldError) else EXIT_VIOLATIONS
