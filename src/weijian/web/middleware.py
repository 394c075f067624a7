"""Refuse requests before any view sees them: those carrying NUL characters, and those whose
body is larger than any page or API call accepts.

PostgreSQL cannot store or compare text containing NUL, so such a value in a URL, query string
or form field would surface as a database error (a 500) deep inside a view.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from weijian.api.errors import JSON_PARAMS, web_message
from weijian.uploads import size_text


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            context = {
                "title": "请求无效",
                "message": "提交的内容包含无效字符（NUL），未做任何修改。",
            }
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
        if declared > limit:
            message = f"上传的内容过大（{size_text(declared)}），一次提交不能超过 {size_text(limit)}，未做任何修改"
            if request.path.startswith("/api/"):
                return JsonResponse(
                    web_message(413, message), status=413, json_dumps_params=JSON_PARAMS
                )
            context = {"title": "上传内容过大", "message": message}
            return render(request, "web/error.html", context, status=413)
        return self.get_response(request)
