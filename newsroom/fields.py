"""Model fields that several apps declare alike."""

from django.conf import settings
from django.db import models


def staff_member(**options):
    """Return a link to the staff account that did something: saved a revision, decided on a
    comment, uploaded a picture. It empties, rather than taking the record along, when the
    account is deleted, and the account gets no reverse accessor for it."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **{"blank": True, **options},
    )
