from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from newsroom.models import OutgoingEmail


class Command(BaseCommand):
    help = (
        "Delete the emails sent more than DAYS days ago from the outbox (default 30). Waiting "
        "and failed ones are kept, for staff to see. Run it from cron, beside "
        "prune_db_task_results."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Keep this many days (≥ 1).")

    def handle(self, *args, days, **options):
        if not 1 <= days <= 36_500:
            raise CommandError("--days must be between 1 and 36,500.")
        before = timezone.now() - timedelta(days=days)
        deleted, _ = OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.SENT, sent_at__lt=before
        ).delete()
        self.stdout.write(f"Deleted {deleted} emails sent before {before:%Y-%m-%d %H:%M}.")
