"""One error hierarchy with coded messages.

Every message says what went wrong, with which file / row / id, and what to do.
The library never prints; the CLI maps these errors to a clean exit.
"""

from __future__ import annotations

import os


class ThreadlineError(Exception):
    """Base class of every error threadline raises on purpose."""

    code = "T000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.message = message


class WorkspaceError(ThreadlineError):
    """The workspace is missing, locked, or from an unknown schema version."""

    code = "T100"


class DatabaseUnavailableError(WorkspaceError):
    """The workspace's database server cannot be reached just now (restarting, down, or
    every connection busy): the request did not change anything; try it again."""

    code = "T110"


class InputError(ThreadlineError):
    """A file or row could not be read; names the file (and row) and why."""

    code = "T200"

    def __init__(self, path: str, reason: str, *, row: int | None = None) -> None:
        where = f"{path}, row {row}" if row is not None else path
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.reason = reason
        self.row = row


class MappingError(InputError):
    """A mapping that cannot be used: names the mapping file, the key and what to do."""

    code = "T210"

    def __init__(self, path: str, key: str, reason: str) -> None:
        super().__init__(path, f"{key}: {reason}" if key else reason)
        self.key = key


class ReadError(InputError):
    """A file that cannot be read as a document (empty, binary, undecodable, too large,
    an unsupported type, a broken PDF/DOCX/zip, a bad metadata sidecar); ``path`` and
    ``reason`` say which and why. The ingest step records it as a skipped file."""

    code = "T220"

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        super().__init__(os.fspath(path), reason)


class ValueReadError(ThreadlineError, ValueError):
    """A value that cannot be read as what its column, field or sidecar key says (a
    date, a time, a duration, a phone number, a number, a name, an entry's id). The
    reader that meets it names the file and row, drops the value and keeps the row.
    A ``ValueError`` too, so a caller that parses one value may catch either."""

    code = "T230"


class GoldFileError(InputError, ValueError):
    """A gold file (or an export handed to the scorer) that cannot be scored: not JSON,
    not an object, a missing section, an entry without id, an unknown export version."""

    code = "T240"


class DuplicateRequestError(ThreadlineError):
    """Another request with the same request id committed while this one ran: this one
    changed nothing; sending it again answers with the stored result."""

    code = "T113"


class PipelineError(ThreadlineError):
    """The orchestrator (``threadline.pipeline``) cannot run as asked: an unknown engine."""

    code = "T300"


class NotFoundError(ThreadlineError):
    """A document, entity or tie id that the workspace does not hold."""

    code = "T400"


class ExportError(ThreadlineError):
    """An export format or target that cannot be written."""

    code = "T500"


class ModelError(ThreadlineError):
    """The language model could not be loaded (it must be an installed package)."""

    code = "T600"


class DependencyError(ThreadlineError):
    """A package this command needs is not installed or cannot be imported; names it and
    how to install it (:class:`MissingExtraError` when an optional extra brings it)."""

    code = "T610"


class GradeError(ThreadlineError):
    """A grade that the named scheme does not define."""

    code = "T700"


class InvalidValueError(ThreadlineError, ValueError):
    """A value given to the library (by the API, the workbench or the CLI) that it
    cannot accept: names the field, the value and what is allowed. A ``ValueError``
    too, as Python's convention for a bad argument."""

    code = "T710"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class TooLargeError(ThreadlineError):
    """An on-demand analysis refused on a network above
    :data:`threadline.api.analysis.ON_DEMAND_TIES` ties."""

    code = "T720"


class JudgementError(ThreadlineError):
    """A judgement that cannot be recorded or undone as asked (an entity merged with
    itself, a split part that matches no mention, an undo of an undo, ...)."""

    code = "T800"


class JudgementConflictError(JudgementError):
    """A new judgement contradicts active ones (A = B, B = C, yet A ≠ C); the message
    names the entities and the judgements, and says which to undo."""

    code = "T810"


class CorrectionError(JudgementError):
    """A correction that cannot be recorded or undone as asked (a schema the entity
    already has, a name that is no alias of it, an undo of an undo, a tie that rests
    on no text, ...); the message names it and says what to do."""

    code = "T820"


class CorrectionConflictError(CorrectionError):
    """A new correction contradicts one in force (a tie both rejected and retyped, a
    name both an alias and not one) or repeats it; the message names the earlier
    correction and how to undo it."""

    code = "T830"


class SecurityError(ThreadlineError):
    """Base of the access-control errors (:mod:`threadline.security`)."""

    code = "T900"


class AuthenticationError(SecurityError):
    """No valid credentials: a missing, forged, expired or revoked token, or a bad password."""

    code = "T901"


class PermissionDeniedError(SecurityError):
    """The user's role does not allow this action."""

    code = "T903"


class CsrfError(SecurityError):
    """A state-changing browser request without the session's CSRF token."""

    code = "T904"


class RateLimitedError(SecurityError):
    """Too many failed logins in a short time."""

    code = "T929"


class TooManyRequestsError(SecurityError):
    """More requests than the rate limit allows (:mod:`threadline.security.ratelimit`)."""

    code = "T930"

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class MethodNotAllowedError(ThreadlineError):
    """A method the path does not take (HTTP 405). This and the next two are refused by
    the API (:mod:`threadline.api.app`) before any route runs; each code is ``T`` and
    the HTTP status."""

    code = "T405"


class RequestTooLargeError(ThreadlineError):
    """A request body above the API's limit (HTTP 413); nothing of it was read."""

    code = "T413"


class MalformedRequestError(ThreadlineError):
    """A request whose parameters or body fail validation (HTTP 422); the answer names
    each field and what is wrong with it, without echoing the input."""

    code = "T422"


class SparkEngineError(ThreadlineError):
    """The Spark engine cannot start (pyspark or Java missing) or a Spark job failed."""

    code = "T950"


class MissingExtraError(DependencyError):
    """A command needs a package of an optional extra that is not installed
    (:func:`threadline.extras.require`); the message names the extra to install."""

    code = "T960"
