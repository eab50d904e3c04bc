"""Running a test's second writer in a thread of its own, with its own database connection."""

import threading

from django.db import close_old_connections, connection


def in_thread(target):
    """Start ``target`` in a thread that closes its connection when done; return the thread."""

    def run():
        try:
            target()
        finally:
            close_old_connections()
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread
