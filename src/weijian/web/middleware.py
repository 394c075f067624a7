"""Refuse requests carrying NUL characters before any view sees them.

PostgreSQL cannot store or compare text containing NUL, so such a value in a URL, query string
or form field would surface as a database error (a 500) deep inside a view.
"""

from django.conf import settings
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render


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
