# Varnish in front of Newsroom: readers' pages from memory, purged by tag the moment they change.
#
# Needs Debian's varnish and varnish-modules (for xkey). The app names what each page shows in
# its Surrogate-Key header; after a change commits it sends
#     PURGE /   with   xkey-purge: article-12 section-3 front …
# to every cache in NEWSROOM_FRONT_CACHES, and this file drops the pages carrying those keys.
# Run: varnishd -a :6081 -f /path/to/newsroom.vcl -p vcc_allow_inline_c=off
# (list the app servers, deploy/serve.py on each, between the two "app servers" lines below).
# Varnish adds the reader's address to X-Forwarded-For: set DJANGO_TRUSTED_PROXIES to the
# caches' addresses on the app, or every reader shares Varnish's address in the comment and
# sign-in limits.

vcl 4.1;

import directors;
import xkey;

# Each app server is asked for /healthz every second (the process alone: no database); one that
# failed two of the last three asks is sent no requests until it answers again.
probe healthz {
    .request = "GET /healthz HTTP/1.1"
        "Host: localhost"
        "Connection: close";
    .interval = 1s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

# The app servers, one backend each, added to the director that shares the addresses out among
# those healthy (consistent hashing: each address goes to one app server, whose own copies of
# that page stay warm, and to the next one while it is down).
# app servers: begin
backend app1 {
    .host = "127.0.0.1";
    .port = "8000";
    .probe = healthz;
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

sub vcl_init {
    new app = directors.shard();
    app.add_backend(app1);
    app.reconfigure();
}
# app servers: end

# Only the app's own hosts may purge.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is for the site's own servers"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Name the keys to purge in xkey-purge"));
        }
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged + " pages"));
    }
    if (req.url ~ "^/(healthz|readyz|metrics)(\?|$)") {
        # The app's state, asked now: never from the cache. (Probes and Prometheus ask each
        # app server directly; /metrics answers only the addresses the app lists.)
        return (pass);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);  # comment posts, reports, the admin's forms
    }
    if (req.url ~ "^/(admin|comments|preview)/") {
        # An admin moved by DJANGO_ADMIN_PATH is never cached either: its pages say no-cache.
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);  # staff, and readers whose comment awaits moderation
    }
    if (req.http.Authorization) {
        return (pass);  # a partner's API key: checked, counted and rate-limited each time
    }
    # Any other cookie (analytics, a stale csrftoken) does not change a reader's page.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        # Remember for a while that this page is not to be shared, so requests do not queue.
        set beresp.uncacheable = true;
        set beresp.ttl = 60s;
        return (deliver);
    }
    # The TTL comes from s-maxage; this is how long a page may be served while it is refetched
    # (the app's stale-while-revalidate).
    set beresp.grace = 30s;
}

sub vcl_backend_fetch {
    # A retry (below) goes to the next app server for the address, healthy or not yet marked.
    set bereq.backend = app.backend(by=URL, alt=bereq.retries, healthy=ALL);
}

sub vcl_backend_error {
    # An app server that stopped since its last probe: a reader's page is asked of the next one.
    # A form is not sent twice, since it may have been received (the reader is told to resend).
    if (bereq.retries < 1 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        return (retry);
    }
}

sub vcl_deliver {
    unset resp.http.xkey;
    if (obj.hits > 0) {
        # The id of the request that fetched the page (DJANGO_LOG_FORMAT=json): this one never
        # reached the app.
        unset resp.http.X-Request-ID;
    }
    if (obj.hits > 0) {
        set resp.http.X-Front-Cache = "hit";
    } else {
        set resp.http.X-Front-Cache = "miss";
    }
}
