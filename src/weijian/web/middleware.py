"""Refuse requests before any view sees them: those carrying NUL characters, and those whose
body is larger than any page or API call accepts; and give every page its CSP header.

PostgreSQL cannot store or compare text containing NUL, so such a value in a URL, query string
or form field would surface as a database error (a 500) deep inside a view.
"""

from django.conf import settings
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from weijian.uploads import size_text


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = _has_nul(request)
            message = "提交的内容包含无效字符（NUL），未做任何修改。"
        except MultiPartParserError:
            refused, message = True, "提交的内容格式不正确（multipart 无法解析），未做任何修改。"
        if refused:
            if request.path.startswith("/api/"):
                # The API answers in DHIS2's WebMessage, as its OpenAPI document says.
                body = {"httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR",
                        "message": message}  # fmt: skip
                return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
            context = {"title": "请求无效", "message": message}
            return render(request, "web/error.html", context, status=400)
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for data in sources:
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False


class ContentSecurityPolicyMiddleware:
    """Our pages say where their scripts, styles and images may come from (settings.WEIJIAN_CSP),
    so an injected <script> or inline handler would not run. Responses that set their own
    policy keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.WEIJIAN_CSP
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class LimitRequestBodyMiddleware:
    """Refuse a request whose declared body is larger than WEIJIAN_MAX_REQUEST_BYTES before
    Django reads it: an upload is otherwise spooled to disk whole before any view can look at
    its size. (Django reads no body at all without a Content-Length, so chunked requests
    cannot go around this.) The per-file limits of each upload page are far below it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.WEIJIAN_MAX_REQUEST_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared <= limit:
            return self.get_response(request)
        message = f"上传的内容过大（{size_text(declared)}），一次提交不能超过 {size_text(limit)}，未做任何修改"
        if request.path.startswith("/api/"):
            body = {"httpStatus": "Payload Too Large", "httpStatusCode": 413, "status": "ERROR",
                    "message": message}  # fmt: skip
            return JsonResponse(body, status=413, json_dumps_params={"ensure_ascii": False})
        context = {"title": "上传内容过大", "message": message}
        return render(request, "web/error.html", context, status=413)
