import re
import secrets
import unicodedata

from django import forms
from django.core.validators import MaxLengthValidator, URLValidator

from .models import MAX_DEPTH, Comment

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Bidirectional overrides and other invisible format characters let a name pose as another.
INVISIBLE = {"Cc", "Cf", "Co", "Cs"}


def tidy_text(text, *, keep_newlines):
    text = unicodedata.normalize("NFC", text)
    kept = "\n" if keep_newlines else ""
    text = "".join(
        c
        for c in text.replace("\r\n", "\n")
        if c in kept or unicodedata.category(c) not in INVISIBLE
    )
    return text.strip()


class CommentForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=80,
        error_messages={"required": "Please give a name to show with your comment."},
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        error_messages={"required": "Please give your email address; it will not be published."},
    )
    website = forms.URLField(
        label="Website",
        max_length=200,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
    )
    body = forms.CharField(
        label="Comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Please write a comment."},
    )
    notify = forms.BooleanField(label="Notify me of replies by email", required=False)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # A trap for robots: hidden from people (and from screen readers), filled in by bots.
    homepage = forms.CharField(label="Leave this field empty", required=False, max_length=200)

    def __init__(self, *args, article, **kwargs):
        self.article = article
        kwargs.setdefault("initial", {}).setdefault("token", secrets.token_urlsafe(24))
        super().__init__(*args, **kwargs)

    def _fits(self, field, text):
        # The field checked the length as typed, but NFC can lengthen a text (U+FB2C is three
        # characters once normalised): what is stored must fit its column too.
        MaxLengthValidator(self.fields[field].max_length)(text)
        return text

    def clean_name(self):
        name = tidy_text(self.cleaned_data["name"], keep_newlines=False)
        if not name:
            raise forms.ValidationError("Please give a name to show with your comment.")
        return self._fits("name", name)

    def clean_body(self):
        body = tidy_text(self.cleaned_data["body"], keep_newlines=True)
        if not body:
            raise forms.ValidationError("Please write a comment.")
        return self._fits("body", re.sub(r"\n{3,}", "\n\n", body))

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not TOKEN.match(token):
            raise forms.ValidationError("This form is damaged; please reload the page.")
        return token

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        parent = (
            Comment.objects.approved()
            .filter(pk=parent_id, article=self.article, depth__lt=MAX_DEPTH)
            .first()
        )
        if parent is None:
            raise forms.ValidationError(
                "You can only reply to a published comment on this article, up to three levels."
            )
        return parent
