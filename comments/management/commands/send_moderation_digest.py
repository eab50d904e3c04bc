from django.core.management.base import BaseCommand

from comments.notifications import digest_is_enabled, digest_recipients, digest_send


class Command(BaseCommand):
    help = (
        "Email the moderators a digest of the comments waiting for a decision and the comments "
        "readers reported since the last digest (or the last 24 hours), now. The task worker "
        "sends it by itself every COMMENTS_DIGEST_EVERY_MINUTES; a digest running at the same "
        "moment is waited for, and nothing is sent twice."
    )

    def handle(self, *args, **options):
        if not digest_is_enabled():
            self.stdout.write("Digests are turned off (COMMENTS_DIGEST_ENABLED).")
            return
        log = digest_send()
        if log is not None:
            moderators = "moderator" if log.recipients == 1 else "moderators"
            self.stdout.write(
                self.style.SUCCESS(
                    f"Sent a digest of {log.pending} pending and {log.reported} reported "
                    f"comments to {log.recipients} {moderators}."
                )
            )
        elif not digest_recipients().exists():
            self.stderr.write(
                self.style.WARNING(
                    "No active moderator has an email address: add one to a user in the "
                    "Moderators group. Nothing was sent."
                )
            )
        else:
            self.stdout.write("Nothing new to moderate.")
