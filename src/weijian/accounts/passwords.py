"""Django's four password validators with our own Chinese wording.

Django's zh_Hans catalogue leaves some of these messages in English (the minimum length's
plural form) and words others awkwardly ("密码跟 用户名 太相似了"); the checks themselves are
Django's, unchanged: similarity to the username and names, minimum length, the 20 000 most
common passwords, all digits.
"""

from __future__ import annotations

from django.contrib.auth import password_validation as django_validators


class UserAttributeSimilarityValidator(django_validators.UserAttributeSimilarityValidator):
    # %(verbose_name)s is the field's Chinese name from Django's catalogue (用户名, 名字…).
    def get_error_message(self):
        return "密码与%(verbose_name)s过于相似，容易被猜中"

    def get_help_text(self):
        return "密码不能与用户名、姓名过于相似。"


class MinimumLengthValidator(django_validators.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码太短：至少需要 {self.min_length} 个字符"

    def get_help_text(self):
        return f"密码至少 {self.min_length} 个字符。"


class CommonPasswordValidator(django_validators.CommonPasswordValidator):
    def get_error_message(self):
        return "这个密码太常见了，容易被猜中"

    def get_help_text(self):
        return "不能使用常见密码。"


class NumericPasswordValidator(django_validators.NumericPasswordValidator):
    def get_error_message(self):
        return "密码不能全是数字"

    def get_help_text(self):
        return "密码不能全是数字。"
