"""DHIS2's WebMessage envelope for every answer that is not plain data, and ApiError.

DHIS2 answers errors and import summaries as

    {"httpStatus": "Conflict", "httpStatusCode": 409, "status": "ERROR", "message": "…"}

with an optional `response` (an import summary or report). Clients such as dhis2-client read
`status`, `message` and `response.conflicts` from it, so every error here has that shape, with
the message in Chinese.
"""

from __future__ import annotations

from http import HTTPStatus

from django.http import HttpResponse, JsonResponse

JSON_PARAMS = {"ensure_ascii": False}


class ApiError(Exception):
    """A refused request: HTTP status, Chinese message, optional DHIS2 error code."""

    def __init__(self, status: int, message: str, *, error_code: str = "", **extra) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_code = error_code
        self.extra = extra


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def conflict(message: str, **extra) -> ApiError:
    return ApiError(409, message, **extra)


def forbidden(message: str) -> ApiError:
    return ApiError(403, message)


def not_found(message: str) -> ApiError:
    return ApiError(404, message)


def web_message(
    http_status: int, message: str = "", status: str | None = None, **extra
) -> dict[str, object]:
    phrase = HTTPStatus(http_status).phrase
    body: dict[str, object] = {
        "httpStatus": phrase,
        "httpStatusCode": http_status,
        "status": status or ("OK" if http_status < 400 else "ERROR"),
    }
    if message:
        body["message"] = message
    body.update({k: v for k, v in extra.items() if v not in (None, "")})
    return body


def json_response(data, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    return JsonResponse(
        data, status=status, safe=False, json_dumps_params=JSON_PARAMS, headers=headers
    )


def error_response(error: ApiError) -> HttpResponse:
    body = web_message(error.status, error.message, errorCode=error.error_code, **error.extra)
    return json_response(body, status=error.status)
