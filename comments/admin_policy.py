"""The comment policy in the admin: one page with the policy in force as a form, and its
history under it.

There is one policy, so its list goes straight to its page (``current/``), and nothing is
added or deleted by hand: each save stores a new version with every value (policy_store.py),
and the newest decides the next comment. Editors and Moderation leads change it; Moderators
may read it. A save that changes nothing stores nothing.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from newsroom.admin_input import CheckedInputAdmin
from richtext.plain import fold

from . import policy_store
from .models import PolicyVersion
from .policy_store import LISTS, PolicyValues

CURRENT = "current"  # the policy page's object id: the version in force
MOST_ENTRIES = 2000
LIST_CHARACTERS = 100_000
LONGEST_WORDS = 100
# A domain's labels as DNS allows them, checked once an international one is in ASCII.
DOMAIN_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
WORD_LISTS = ("block_words", "moderation_words")


def _words_key(entry):
    """Return what the rules match of a list entry: two entries with the same key are one."""
    return " ".join(fold(entry).split())


def _domain_problem(domain):
    """Return why the text is not an email domain, or None if it is one."""
    if domain.startswith("@") or "@" in domain:
        return "write the domain alone, without the @ and what comes before it"
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return "not a domain name"
    labels = ascii_domain.split(".")
    if len(ascii_domain) > 253 or len(labels) < 2:
        return "not a domain name (one like spam.example, with a dot)"
    if not all(DOMAIN_LABEL.fullmatch(label) for label in labels):
        return "not a domain name: use letters, digits, hyphens and dots only"
    return None


def _entries(text, *, domains):
    """Return the list typed in a box, one entry a line, or raise a ValidationError naming
    each line to fix."""
    if len(text) > LIST_CHARACTERS:
        raise ValidationError(
            f"This list is too long: at most {LIST_CHARACTERS:,} characters (it has "
            f"{len(text):,}). Shorten it and save again."
        )
    lines = [line.strip() for line in text.strip().splitlines()]
    if len(lines) > MOST_ENTRIES:
        raise ValidationError(f"At most {MOST_ENTRIES:,} lines (this has {len(lines):,}).")
    problems, seen = [], {}
    for number, line in enumerate(lines, start=1):
        entry = line.lower() if domains else line
        key = entry if domains else _words_key(line)
        if not line:
            problems.append(f"Line {number} is empty: remove it.")
        elif domains and (problem := _domain_problem(entry)):
            problems.append(f"Line {number}, “{line}”: {problem}.")
        elif not domains and len(line) > LONGEST_WORDS:
            problems.append(f"Line {number} is longer than {LONGEST_WORDS} characters.")
        elif not domains and not re.search(r"\w", key):
            problems.append(f"Line {number}, “{line}”, has no letter or digit to look for.")
        elif key in seen:
            problems.append(f"Line {number}, “{line}”, repeats line {seen[key]}: keep one.")
        else:
            seen[key] = number
    if problems:
        shown = problems[:10]
        if len(problems) > len(shown):
            shown.append(f"And {len(problems) - len(shown)} more lines to fix.")
        raise ValidationError(shown)
    return [line.lower() for line in lines] if domains else lines


class PolicyForm(forms.ModelForm):
    # The version in force when the page was opened: saving over a newer one is refused.
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = PolicyVersion
        fields = policy_store.FIELD_NAMES
        widgets = {name: forms.Textarea(attrs={"rows": 8, "cols": 50}) for name in LISTS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["based_on"].initial = getattr(self.instance, "based_on", 0)

    def _clean_list(self, name):
        return "\n".join(_entries(self.cleaned_data[name], domains=name not in WORD_LISTS))

    def clean_block_words(self):
        return self._clean_list("block_words")

    def clean_moderation_words(self):
        return self._clean_list("moderation_words")

    def clean_blocked_email_domains(self):
        return self._clean_list("blocked_email_domains")

    def clean_disposable_email_domains(self):
        return self._clean_list("disposable_email_domains")

    def clean(self):
        cleaned = super().clean()
        newest = PolicyVersion.objects.values_list("pk", flat=True).first() or 0
        if (cleaned.get("based_on") or 0) != newest:
            # The next save goes over the newer version: the form now says it is based on it.
            self.data = self.data.copy()
            self.data["based_on"] = str(newest)
            raise ValidationError(
                "Someone saved the policy after you opened this page: their change is at the "
                "top of the history below. Your values are still in the form and were not "
                "saved; save again to put them in force."
            )
        return cleaned


@admin.register(PolicyVersion)
class PolicyAdmin(CheckedInputAdmin, admin.ModelAdmin):
    form = PolicyForm
    actions = None
    change_form_template = "admin/comments/policyversion/change_form.html"
    fieldsets = [
        (
            "Words",
            {
                "fields": ["block_words", "moderation_words"],
                "description": "Looked for as whole words in the comment, the name and (for "
                "blocked words) the website, whatever their case or accents.",
            },
        ),
        ("Links", {"fields": ["max_links"]}),
        ("Email addresses", {"fields": ["blocked_email_domains", "disposable_email_domains"]}),
        ("Moderation", {"fields": ["premoderate", "trusted_after", "close_after_days"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _page(self):
        return reverse("admin:comments_policyversion_change", args=[CURRENT])

    def get_object(self, request, object_id, from_field=None):
        # The page shows the values in force on an unsaved row, which a save stores as new.
        if object_id != CURRENT:
            return None
        newest = PolicyVersion.objects.first()
        shown = PolicyVersion(**PolicyValues.from_version(newest).as_fields())
        shown.based_on = newest.pk if newest else 0
        return shown

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return redirect(self._page())

    def history_view(self, request, object_id, extra_context=None):
        # The history is on the policy's page, with the values before and after each save.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return redirect(self._page() + "#policy-history")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        context = {
            "policy_history": policy_store.history(),
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            **(extra_context or {}),
        }
        return super().changeform_view(request, object_id, form_url, context)

    def save_model(self, request, obj, form, change):
        in_force = PolicyValues.from_version(PolicyVersion.objects.first())
        if PolicyValues.from_version(obj) == in_force:
            return  # nothing to keep: obj stays unsaved, and response_change says so
        obj.pk = None
        obj.saved_by = request.user
        obj.save()

    def log_change(self, request, obj, message):
        if obj.pk is not None:
            return super().log_change(request, obj, message)
        return None

    def response_change(self, request, obj):
        if obj.pk is None:
            messages.info(request, "Nothing changed: the policy in force stays as it was.")
        else:
            messages.success(request, "The comment policy was saved: it decides the next comment.")
        return redirect(self._page())
