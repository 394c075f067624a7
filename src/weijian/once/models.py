from django.conf import settings
from django.db import models


class UsedFormToken(models.Model):
    """A form submission that was carried out: its page's token (unique as the primary key,
    so two requests can never both claim it) and where the result is to be seen."""

    token = models.CharField(max_length=64, primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    used_at = models.DateTimeField(auto_now_add=True)
    result_url = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "已提交的表单"
        verbose_name_plural = "已提交的表单"

    def __str__(self) -> str:
        return f"{self.token} {self.used_at:%Y-%m-%d %H:%M}"
