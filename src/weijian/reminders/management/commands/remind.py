"""weijian remind: the daily digest to every unit that has a channel (run from cron once a
day, e.g. 8:00). Sends each unit's digest at most once a day however often it runs."""

from django.core.management.base import BaseCommand

from weijian.reminders.actions import send_digests


class Command(BaseCommand):
    help = "向设置了接收方式的单位发送每日提醒（逾期与即将到期的报表、整改通知、检查任务）"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只显示内容，不发送")

    def handle(self, *args, **options):
        done = send_digests(dry_run=options["dry_run"])
        if not done:
            self.stdout.write("没有需要提醒的事项（或没有单位设置接收方式）")
        for channel, text, outcome in done:
            self.stdout.write(f"== {channel.org_unit.name} · {channel.name}：{outcome}")
            if options["dry_run"]:
                self.stdout.write(text)
