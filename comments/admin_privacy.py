"""The privacy page in the admin: what is stored about an email address, its export as a JSON
download, and its erasure after a second, confirming page. Each export and erasure leaves a
PrivacyRequest (who, when, how much; the address only as a hash)."""

import json

from django import forms
from django.contrib import messages
from django.core import signing
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import privacy
from .models import email_hash, normalise_email

# The confirming page's token: proof that the erasure was asked for twice, on this address,
# in the last quarter of an hour. A single POST, forged or mistaken, cannot carry one.
ERASE_SALT = "comments.privacy.erase"
ERASE_MAX_AGE = 15 * 60


class AddressForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={"required": "Give the commenter's email address."},
    )

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


def _context(request, model_admin, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        **extra,
    }


def _page(request, model_admin, form, *, email="", status=200):
    context = _context(
        request,
        model_admin,
        title="Export or erase a commenter's data",
        form=form,
        email=email,
        summary=privacy.commenter_summary(email=email) if email else None,
        is_newsroom=privacy.is_newsroom_address(email) if email else False,
    )
    return TemplateResponse(request, "admin/comments/privacy.html", context, status=status)


def _address(request, model_admin):
    """Return (the address posted, None) if something is stored about it, else (None, the
    page saying what is wrong, the address kept in the form)."""
    form = AddressForm(request.POST)
    if not form.is_valid():
        return None, _page(request, model_admin, form, status=400)
    email = form.cleaned_data["email"]
    if not privacy.commenter_is_known(email=email):
        form.add_error("email", f"Nothing is stored about {email}.")
        return None, _page(request, model_admin, form, status=404)
    return email, None


def lookup_view(request, model_admin):
    """The form for an address (a POST, so the address stays out of the server's logs) and,
    once given, what is stored about it."""
    if request.method != "POST":
        return _page(request, model_admin, AddressForm())
    email, refusal = _address(request, model_admin)
    return refusal or _page(request, model_admin, AddressForm(request.POST), email=email)


@require_POST
def export_view(request, model_admin):
    email, refusal = _address(request, model_admin)
    if refusal:
        return refusal
    data = privacy.commenter_export_on_request(email=email, user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    # The file's name says which request it answered without spelling out the address.
    name = f"commenter-{email_hash(email)[:12]}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _confirmed(request, email):
    try:
        asked = signing.loads(
            request.POST.get("confirmation", ""), salt=ERASE_SALT, max_age=ERASE_MAX_AGE
        )
    except signing.BadSignature:  # expired, altered, or never given
        return False
    return asked == email_hash(email)


@require_POST
def erase_view(request, model_admin):
    """First POST: the confirming page. Second, carrying its token: the erasure."""
    email, refusal = _address(request, model_admin)
    if refusal:
        return refusal
    if privacy.is_newsroom_address(email):
        form = AddressForm(request.POST)
        form.is_valid()
        form.add_error("email", privacy.NEWSROOM_ADDRESS_REFUSED.format(email=email))
        return _page(request, model_admin, form, email=email, status=400)
    if not _confirmed(request, email):
        context = _context(
            request,
            model_admin,
            title=f"Erase everything stored about {email}?",
            email=email,
            summary=privacy.commenter_summary(email=email),
            confirmation=signing.dumps(email_hash(email), salt=ERASE_SALT),
        )
        return TemplateResponse(request, "admin/comments/privacy_erase.html", context)
    counts = privacy.commenter_erase_on_request(email=email, user=request.user)
    messages.success(
        request,
        f"Erased {email}: {counts['deleted']} comments deleted, {counts['anonymised']} kept as "
        f"placeholders for the replies to them, {counts['notes']} notes, "
        f"{counts['commenter']} standing, {counts['reply_emails']} reply-email records and "
        f"{counts['emails']} emails removed.",
    )
    return HttpResponseRedirect(reverse("admin:comments_privacyrequest_changelist"))
