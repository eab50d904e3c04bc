"""Each process's own copies of the pages readers ask for most, kept true by Redis pub/sub.

A page from the shared store costs two round trips to Redis, which is most of the time of a
cached page; a copy in this process's memory costs none. Every change is also published on a
channel of the cache's Redis (store.mark_changed), and each process listens to it in a thread,
so a copy here is dropped as soon as the shared one is: a copy is good only while none of its
keys changed after its request began, the same rule as in the shared store.

A message takes a moment to be heard: the listening thread waits for Python's lock behind the
requests being served, while the change's purge has already sent Varnish back for the page.
So each change also counts one up on a number kept in Redis, published with it in one atomic
step (a script), and a copy is served only while this process has heard every change counted
so far: one small read, where the shared copy costs two large ones.

While the channel is not being listened to (the process just started, Redis restarted), a
message could have been missed: then nothing is served from here, and on listening again the
copies made before are forgotten. Only a Redis cache has a channel; with any other cache
backend every page comes from the shared store.
"""

import json
import logging
import os
import pickle
import threading
from collections import OrderedDict

from django.conf import settings

logger = logging.getLogger(__name__)

# Past this many changed keys remembered, forget them and the copies that they checked.
MOST_KEYS = 50_000
# How often a quiet channel is pinged, to find out that its connection died.
PING_SECONDS = 5
# Count the change, and publish it with its number, as one step: the messages go out in the
# order of their numbers, so a process that has heard number n has heard every change to n.
_PUBLISH = """
local number = redis.call("INCR", KEYS[1])
redis.call("PUBLISH", ARGV[1], number .. " " .. ARGV[2])
return number
"""


class LocalPages:
    def __init__(self, cache, budget):
        self.cache = cache
        self.budget = budget
        self.channel = cache.make_key("page-cache:changes")
        self.counter = cache.make_key("page-cache:changes-counted")
        self.heard_up_to = 0  # the number of the last change heard
        self.pages = OrderedDict()  # page name -> (entry, bytes), least recently used first
        self.size = 0
        self.changed = {}  # key -> when it last changed, as far as this process has heard
        self.lock = threading.Lock()
        self.listening = threading.Event()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._listen, name="page-cache-changes", daemon=True)
        self.thread.start()

    def get(self, name):
        if not self.listening.is_set():
            return None
        with self.lock:
            entry, _ = self.pages.get(name, (None, 0))
            if entry is None:
                return None
            if self._outdated(entry):
                self._drop(name)
                return None
            self.pages.move_to_end(name)
        # A change counted but not heard yet may be one this copy shows: ask the shared store.
        return entry if self._heard_everything() else None

    def _heard_everything(self):
        counted = self._counted()
        if counted < self.heard_up_to:
            # The count began again (Redis was emptied): no copy kept so far can be trusted.
            self.forget()
            return False
        return self.heard_up_to >= counted

    def _counted(self):
        return int(self._client().get(self.counter) or 0)

    def _client(self):
        return self.cache._cache.get_client(write=True)

    def keep(self, name, entry):
        size = _size(entry["content"])
        if not self.listening.is_set() or size > self.budget // 4:
            return
        with self.lock:
            if self._outdated(entry):
                return
            self._drop(name)
            self.pages[name] = (entry, size)
            self.size += size
            while self.size > self.budget:
                self._drop(next(iter(self.pages)))

    def heard(self, keys, moment, number=None):
        """Note that these keys changed at ``moment``, in the change counted ``number``."""
        with self.lock:
            if len(self.changed) > MOST_KEYS:
                self._forget()
            for key in keys:
                if self.changed.get(key, 0.0) < moment:
                    self.changed[key] = moment
            if number is not None:
                self.heard_up_to = max(self.heard_up_to, number)

    def publish(self, keys, moment):
        self.heard(keys, moment)
        message = json.dumps({"keys": sorted(keys), "at": moment})
        self._client().eval(_PUBLISH, 1, self.counter, self.channel, message)

    def forget(self):
        """Forget every copy, and count changes from the number Redis holds now."""
        counted = self._counted()
        with self.lock:
            self._forget()
            self.heard_up_to = counted

    def stop(self):
        self.stopped.set()
        self.listening.clear()

    def _outdated(self, entry):
        started = entry["started"]
        return any(self.changed.get(key, 0.0) >= started for key in entry["tags"])

    def _drop(self, name):
        _, size = self.pages.pop(name, (None, 0))
        self.size -= size

    def _forget(self):
        self.pages.clear()
        self.size = 0
        self.changed.clear()

    def _listen(self):
        pause = 0.5
        while not self.stopped.is_set():
            try:
                self._listen_once()
                pause = 0.5
            except Exception:  # the connection dropped, Redis restarted: listen again
                logger.warning("Page cache: not hearing changes; serving from Redis meanwhile")
            self.listening.clear()
            self.stopped.wait(pause)
            pause = min(pause * 2, 30)

    def _listen_once(self):
        client = self.cache._cache.get_client(write=True)
        with client.pubsub() as pubsub:
            pubsub.subscribe(self.channel)
            while not self.stopped.is_set():
                message = pubsub.get_message(timeout=PING_SECONDS)
                if message is None:
                    pubsub.ping()
                elif message["type"] == "subscribe":
                    # Whatever changed before now was not heard: start afresh, from the
                    # changes counted so far (what they changed is in the shared store).
                    self.forget()
                    self.listening.set()
                elif message["type"] == "message":
                    data = message["data"]
                    text = data.decode() if isinstance(data, bytes) else data
                    number, _, text = text.partition(" ")
                    change = json.loads(text)
                    self.heard(change["keys"], change["at"], int(number))


def _size(content):
    """Return about how many bytes a copy holds: a page's or a part's text, or other data."""
    if isinstance(content, (bytes, str)):
        return len(content)
    return len(pickle.dumps(content, pickle.HIGHEST_PROTOCOL))


_process = {"pid": None, "pages": None}
_lock = threading.Lock()


def pages(cache):
    """Return this process's copies for the cache, or None where there are none to keep."""
    budget = settings.PAGE_CACHE_LOCAL_BYTES
    if budget <= 0 or not hasattr(cache, "_cache") or not hasattr(cache._cache, "get_client"):
        return None
    # Django makes a cache object per thread: they are the same cache if they have the same
    # servers and prefix.
    identity = (tuple(cache._servers), cache.make_key("page-cache:changes"))
    found = _process["pages"]
    # A forked worker inherits no thread: it starts listening for itself.
    if found is not None and _process["pid"] == os.getpid() and found.identity == identity:
        return found
    with _lock:
        found = _process["pages"]
        if found is None or _process["pid"] != os.getpid() or found.identity != identity:
            if found is not None:
                found.stop()
            found = LocalPages(cache, budget)
            found.identity = identity
            _process.update(pid=os.getpid(), pages=found)
        return found
