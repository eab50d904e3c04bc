import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from comments.privacy import commenter_export, commenter_is_known


class Command(BaseCommand):
    help = (
        "Print, as JSON, everything stored about the commenter with this email address: their "
        "comments with the decisions on them, their standing and the moderators' notes."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The commenter's email address, in any case.")
        parser.add_argument(
            "--output", metavar="FILE", help="Write the JSON to this file instead of stdout."
        )

    def handle(self, *args, email, output=None, **options):
        if not commenter_is_known(email=email):
            raise CommandError(f"Nothing is stored about {email}.")
        data = commenter_export(email=email)
        text = json.dumps(data, indent=2, ensure_ascii=False)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(
                f"Wrote {len(data['comments'])} comments, {len(data['notes'])} notes and the "
                f"standing of {data['email']} to {output}."
            )
        else:
            self.stdout.write(text)
