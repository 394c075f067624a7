"""Sending one text: e-mail through Django, 企业微信 and 钉钉 group robots through their
webhooks (JSON over HTTPS, stdlib urllib: no client library needed for one POST).

Webhook addresses are checked when configured and again when used: https to the vendor's own
host (qyapi.weixin.qq.com, oapi.dingtalk.com) only, unless the operator lists another host in
WEIJIAN_WEBHOOK_HOSTS (an intranet relay; the tests' stub server on loopback). So a unit
administrator cannot make the server post to arbitrary addresses.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email

VENDOR_HOSTS = {
    "WECOM": ("qyapi.weixin.qq.com", "/cgi-bin/webhook/send", "key"),
    "DINGTALK": ("oapi.dingtalk.com", "/robot/send", "access_token"),
}
TIMEOUT_SECONDS = 5
MAX_TEXT = 1800  # 企业微信 text messages take 2048 bytes of UTF-8 at most; 钉钉 more


class SendError(Exception):
    """Why a message could not go; the message is Chinese and is kept with the delivery."""


@dataclass(frozen=True)
class Outcome:
    ok: bool
    detail: str


def extra_hosts() -> set[str]:
    return set(getattr(settings, "WEIJIAN_WEBHOOK_HOSTS", []))


def check_target(kind: str, target: str) -> str:
    """The cleaned address, or SendError saying what is wrong with it."""
    target = (target or "").strip()
    if kind == "EMAIL":
        addresses = [a.strip() for a in target.replace("；", ",").replace(";", ",").split(",")]
        addresses = [a for a in addresses if a]
        if not addresses or len(addresses) > 20:
            raise SendError("请填写 1–20 个邮箱地址，用逗号分隔")
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                raise SendError(f"“{address}”不是有效的邮箱地址") from None
        return ",".join(addresses)
    if kind not in VENDOR_HOSTS:
        raise SendError("未知的接收方式")
    parts = urllib.parse.urlsplit(target)
    host, path, token = VENDOR_HOSTS[kind]
    if parts.netloc in extra_hosts() and parts.scheme in ("http", "https"):
        return target
    query = urllib.parse.parse_qs(parts.query)
    if (
        parts.scheme != "https"
        or parts.netloc != host
        or parts.path != path
        or not query.get(token)
    ):
        name = "企业微信" if kind == "WECOM" else "钉钉"
        raise SendError(
            f"{name}群机器人的地址应为 https://{host}{path}?{token}=…（在群设置的机器人里复制）"
        )
    return target


def email_enabled() -> bool:
    """E-mail needs a mail server: WEIJIAN_EMAIL_HOST, or a non-SMTP backend (tests)."""
    backend = settings.EMAIL_BACKEND
    return bool(settings.EMAIL_HOST_CONFIGURED) or not backend.endswith("smtp.EmailBackend")


def send(kind: str, target: str, secret: str, subject: str, text: str) -> Outcome:
    text = text[:MAX_TEXT]
    try:
        target = check_target(kind, target)
        if kind == "EMAIL":
            return _email(target, subject, text)
        url = _signed(target, secret) if kind == "DINGTALK" and secret else target
        return _robot(url, {"msgtype": "text", "text": {"content": text}})
    except SendError as exc:
        return Outcome(False, str(exc))


def _email(target: str, subject: str, text: str) -> Outcome:
    if not email_enabled():
        return Outcome(False, "未配置邮件服务器（WEIJIAN_EMAIL_HOST），未发送")
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, target.split(","))
    except Exception as exc:  # SMTP errors come in many classes; each is reported, none raised
        return Outcome(False, f"邮件发送失败：{type(exc).__name__}")
    return Outcome(True, "已发送")


def _signed(url: str, secret: str, now_ms: int | None = None) -> str:
    """钉钉's 加签: timestamp and base64(HMAC-SHA256(secret, "timestamp\\nsecret")) in the URL."""
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}&timestamp={timestamp}&sign={sign}"


def _robot(url: str, payload: dict) -> Outcome:
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = json.loads(response.read(65536) or b"{}")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return Outcome(False, f"无法连接机器人地址：{getattr(exc, 'reason', exc)}"[:300])
    except ValueError:
        return Outcome(False, "机器人地址的回应不是 JSON")
    if answer.get("errcode") == 0:
        return Outcome(True, "已发送")
    return Outcome(False, f"机器人拒收：{answer.get('errcode')} {answer.get('errmsg', '')}"[:300])
