"""One error body for every refusal: a status, a short code, and what went wrong."""

from django.http import Http404
from ninja import Schema
from ninja.errors import HttpError, ValidationError
from pydantic import Field


class ParameterError(Schema):
    parameter: str
    location: str
    message: str


class Error(Schema):
    status: int
    error: str
    detail: str
    errors: list[ParameterError] = []
    request_id: str | None = Field(
        None, description="On a 500 or 503: quote it when reporting the problem."
    )


class BadParameter(HttpError):
    """A parameter that parsed but names nothing usable (an unknown section, a
    cursor this API did not give)."""

    def __init__(self, parameter: str, message: str):
        super().__init__(400, f"{parameter}: {message}")
        self.parameter = parameter
        self.reason = message


CODES = {400: "bad_parameter", 403: "forbidden", 404: "not_found", 429: "rate_limited"}

# Every operation may answer these besides its own 200 (503: the database is briefly
# out of reach, with Retry-After; cms.middleware answers it).
ERRORS = {400: Error, 404: Error, 422: Error, 429: Error, 503: Error}


# Ids are 64-bit: a larger number names nothing (and no database takes it).
MAX_ID = 2**63 - 1


def body(status: int, error: str, detail: str, errors=()) -> dict:
    return {"status": status, "error": error, "detail": detail, "errors": list(errors)}


def install(api) -> None:
    """Replace django-ninja's default error answers with ``Error`` bodies."""

    @api.exception_handler(Http404)
    def not_found(request, exc):
        detail = str(exc) or "Nothing here."
        return api.create_response(request, body(404, "not_found", detail), status=404)

    @api.exception_handler(BadParameter)
    def bad_parameter(request, exc):
        errors = [
            {
                "parameter": exc.parameter,
                "location": "query",
                "message": exc.reason,
            }
        ]
        return api.create_response(
            request, body(400, "bad_parameter", str(exc), errors), status=400
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        status = exc.status_code
        code = CODES.get(status, "error")
        return api.create_response(request, body(status, code, str(exc)), status=status)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        errors = [_parameter_error(error) for error in exc.errors]
        detail = "; ".join(f"{e['parameter']}: {e['message']}" for e in errors)
        return api.create_response(
            request,
            body(422, "invalid_parameter", detail or "Invalid request.", errors),
            status=422,
        )


def _parameter_error(error: dict) -> dict:
    location, *rest = [str(part) for part in error.get("loc", ())] or ["query"]
    # django-ninja nests query parameters under the schema's name; the last
    # part is the parameter a client sent.
    parameter = rest[-1] if rest else location
    return {
        "parameter": parameter,
        "location": location,
        "message": error.get("msg", "Invalid value."),
    }
