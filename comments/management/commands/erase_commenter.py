from django.core.management.base import BaseCommand, CommandError

from comments.privacy import (
    NEWSROOM_ADDRESS_REFUSED,
    commenter_erase,
    commenter_is_known,
    is_newsroom_address,
)


class Command(BaseCommand):
    help = (
        "Erase everything stored about the commenter with this email address. Comments that "
        "others replied to stay, anonymised, so the other readers' threads stay whole."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The commenter's email address, in any case.")
        parser.add_argument(
            "--yes",
            "--no-input",
            "--noinput",
            action="store_true",
            dest="yes",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, email, yes=False, **options):
        if is_newsroom_address(email):
            raise CommandError(NEWSROOM_ADDRESS_REFUSED.format(email=email.strip().lower()))
        if not commenter_is_known(email=email):
            raise CommandError(f"Nothing is stored about {email}.")
        if not yes:
            answer = input(f"Erase everything stored about {email}? [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                self.stdout.write("Nothing was erased.")
                return
        counts = commenter_erase(email=email)
        self.stdout.write(
            self.style.SUCCESS(
                f"Erased {email}: {counts['deleted']} comments deleted, "
                f"{counts['anonymised']} kept as placeholders for the replies to them, "
                f"{counts['notes']} moderator notes, {counts['commenter']} standing, "
                f"{counts['reply_emails']} reply-email records and {counts['emails']} emails "
                "removed."
            )
        )
