from django.shortcuts import render


def not_found(request, exception=None):
    return render(
        request,
        "web/error.html",
        {"title": "页面不存在", "message": "您访问的页面不存在，或您没有查看权限。"},
        status=404,
    )


def forbidden(request, exception=None):
    return render(
        request,
        "web/error.html",
        {"title": "没有权限", "message": "您没有执行此操作的权限。"},
        status=403,
    )


def server_error(request):
    return render(
        request,
        "web/error.html",
        {"title": "系统出错", "message": "系统处理时出错，已记录。请稍后重试或联系管理员。"},
        status=500,
    )


def bad_request(request, exception=None):
    return render(
        request,
        "web/error.html",
        {
            "title": "请求无效",
            "message": "提交的内容无法处理（可能字段过多或格式不对），未做任何修改。",
        },
        status=400,
    )
