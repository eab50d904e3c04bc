"""Files leave storage only once the database change that orphaned them has committed."""

from functools import partial

from django.db import transaction


def delete_file_on_commit(storage, name, using=None):
    # A rolled-back delete must not leave rows pointing at missing files.
    if name:
        transaction.on_commit(partial(storage.delete, name), using=using)
