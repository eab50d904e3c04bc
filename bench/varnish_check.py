"""Publish a change and see it through Varnish on the very next request (run by hand, not in CI).

    .venv/bin/python bench/varnish_check.py

Needs Debian's varnish and varnish-modules (apt-get install varnish varnish-modules). It
makes a throwaway SQLite site with one story, serves it with Django on one port and Varnish
(deploy/varnish/newsroom.vcl) in front of it on another, then:

1. reads the story through Varnish twice: the second answer must come from Varnish;
2. changes the headline in another process, as an editor's save would, which purges the
   story's tags from Varnish after the commit;
3. reads the story through Varnish once more: it must show the new headline.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_PORT, CACHE_PORT = 8097, 6097
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def main():
    if not shutil.which("varnishd"):
        sys.exit("varnishd is missing: apt-get install varnish varnish-modules")
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
    workdir.chmod(0o755)  # varnishd reads the VCL as its own unprivileged user
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir}/site.sqlite3",
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_DEBUG": "",
        "NEWSROOM_FRONT_CACHES": f"http://127.0.0.1:{CACHE_PORT}/",
    }
    processes = []
    try:
        manage = [PYTHON, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        subprocess.run([*manage, "createcachetable"], env=env, check=True)
        path = _shell(manage, env, MAKE_STORY).strip()
        processes.append(
            subprocess.Popen(
                [*manage, "runserver", f"127.0.0.1:{APP_PORT}", "--noreload"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        vcl = workdir / "newsroom.vcl"
        source = (ROOT / "deploy" / "varnish" / "newsroom.vcl").read_text()
        vcl.write_text(source.replace('.port = "8000"', f'.port = "{APP_PORT}"'))
        processes.append(
            subprocess.Popen(
                [
                    "varnishd",
                    "-F",
                    "-n",
                    str(workdir / "varnish"),
                    "-a",
                    f"127.0.0.1:{CACHE_PORT}",
                    "-f",
                    str(vcl),
                    "-s",
                    "malloc,64m",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        url = f"http://127.0.0.1:{CACHE_PORT}{path}"
        _wait_for(url)

        first, second = _read(url), _read(url)
        print(f"1. first read:  {first[0]:<5} {first[1]}")
        print(f"   second read: {second[0]:<5} {second[1]}")
        _shell(manage, env, CHANGE_HEADLINE)
        third = _read(url)
        print(f"2. after the editor's change, next read: {third[0]:<5} {third[1]}")
        ok = second[0] == "hit" and third[1] == NEW_HEADLINE
        print("Varnish served the change on the next request." if ok else "FAILED")
        sys.exit(0 if ok else 1)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


NEW_HEADLINE = "Ceasefire talks move to Geneva"
MAKE_STORY = """
from tests.factories import make_article
print(make_article(headline="Ceasefire talks open in Istanbul").get_absolute_url())
"""
CHANGE_HEADLINE = f"""
from articles.models import Article
article = Article.objects.get()
article.headline = {NEW_HEADLINE!r}
article.save()
"""


def _shell(manage, env, code):
    done = subprocess.run(
        [*manage, "shell", "-v0", "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def _read(url):
    """Return (Varnish's hit or miss, the page's headline)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        html = response.read().decode()
        state = response.headers.get("X-Front-Cache", "?")
    start = html.index('<h1 class="story__headline">') + len('<h1 class="story__headline">')
    return state, html[start : html.index("</h1>", start)]


def _wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


if __name__ == "__main__":
    main()
