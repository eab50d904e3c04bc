"""Signing in as a browser does, one step at a time."""

from django.urls import reverse

PASSWORD = "a-long-test-passphrase"  # tests/factories.py, make_user


def password_step(client, username="amira", password=PASSWORD, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        **extra,
    )


def code_step(client, code, **extra):
    return client.post(reverse("admin:login_code"), {"code": code}, **extra)


def signed_in(response):
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def opens_the_admin(client):
    return client.get(reverse("admin:index")).status_code == 200
