from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "weijian.reminders"
    verbose_name = "提醒与催报"
