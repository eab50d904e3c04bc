"""The admin's two-factor pages: setting it up (QR code, key, a code to confirm), recovery
codes, turning it off, and a superuser's reset of a colleague's after a lost phone."""

from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import login_limits, two_factor

# The key being set up, kept in the session until the app shows it works: nothing is saved
# for a set-up left half-way, and a reload shows the same QR code.
NEW_KEY = "_two_factor_new_key"

CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "autocapitalize": "none",
    "spellcheck": "false",
}


class ConfirmAppForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=100,
        widget=forms.TextInput(attrs={**CODE_ATTRS, "aria-describedby": "code-help"}),
        error_messages={"required": "Enter the 6-digit code the app shows."},
    )

    def clean_code(self):
        code = two_factor.clean_code(self.cleaned_data["code"])
        if code is None or not two_factor.APP_CODE.fullmatch(code):
            raise ValidationError("Enter the 6 digits the app shows, without letters.")
        return code


class TurnOffForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label="A code from your app, or a recovery code",
        max_length=100,
        widget=forms.TextInput(attrs=CODE_ATTRS),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_code(self):
        code = two_factor.clean_code(self.cleaned_data["code"])
        if code is None:
            raise ValidationError("Enter the 6 digits your app shows, or a recovery code.")
        return code

    def clean(self):
        # The same limits as signing in: otherwise an open session would be a way to try
        # passwords without them.
        user = self.request.user
        login_limits.check_not_paused(self.request, user.get_username())
        password, code = self.cleaned_data.get("password"), self.cleaned_data.get("code")
        if password is None or code is None:
            return self.cleaned_data
        if not user.check_password(password) or two_factor.use_code(user, code) is None:
            login_limits.count_failure(self.request, user.get_username())
            raise ValidationError("The password or the code is not right: nothing changed.")
        return self.cleaned_data


def _log(request, user, message):
    """Record a change to ``user``'s two-factor sign-in in the admin's history of that user."""
    LogEntry.objects.log_actions(
        user_id=request.user.pk, queryset=[user], action_flag=CHANGE, change_message=message
    )


def _qr_code(app):
    """Return the app's set-up address as an inline SVG QR code, named for screen readers."""
    svg = segno.make(app.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title="QR code to scan with your authenticator app"
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # segno's markup, no input


def _written_out(app):
    """Return the key as people type it into an app: base32, in groups of four."""
    key = b32encode(app.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _codes_page(request, context, codes, *, title):
    return TemplateResponse(
        request,
        "admin/two_factor/recovery_codes.html",
        {**context, "title": title, "codes": codes},
    )


def set_up_page(request, context):
    """Show the account's two-factor state, or set it up: QR code, key, a code to confirm."""
    user = request.user
    context = {**context, "required": two_factor.is_required(user)}
    if two_factor.is_on(user):
        context.update(
            title="Two-factor sign-in",
            codes_left=two_factor.recovery_codes_left(user),
            code_count=two_factor.RECOVERY_CODE_COUNT,
        )
        return TemplateResponse(request, "admin/two_factor/status.html", context)
    key = request.session.get(NEW_KEY)
    if not (isinstance(key, str) and len(key) == 40):
        key = request.session[NEW_KEY] = two_factor.new_app_key()
    form = ConfirmAppForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        turned_on = two_factor.turn_on(user, key, form.cleaned_data["code"])
        if turned_on is not None:
            app, codes = turned_on
            del request.session[NEW_KEY]
            otp_login(request, app)  # this session has just shown the code
            _log(request, user, "Turned two-factor sign-in on.")
            return _codes_page(request, context, codes, title="Two-factor sign-in is on")
        form.add_error(
            "code",
            "That is not the code the app shows for this key. Check the app's clock is right, "
            "then enter the newest code.",
        )
    app = two_factor.app_for_key(user, key)
    context.update(
        title="Set up two-factor sign-in",
        must_set_up=two_factor.must_set_up(user),
        form=form,
        qr_code=_qr_code(app),
        key=_written_out(app),
    )
    return TemplateResponse(
        request, "admin/two_factor/set_up.html", context, status=400 if form.is_bound else 200
    )


@require_POST
def recovery_codes_page(request, context):
    """Make a new set of recovery codes, voiding the old ones, and show them once."""
    user = request.user
    if not two_factor.is_on(user):
        messages.error(request, "Two-factor sign-in is off: there are no recovery codes to make.")
        return redirect("admin:two_factor")
    codes = two_factor.new_recovery_codes(user)
    _log(request, user, "Made a new set of recovery codes.")
    return _codes_page(request, context, codes, title="New recovery codes")


def turn_off_page(request, context):
    """Turn two-factor sign-in off, given the password and a code, unless the role needs it."""
    user = request.user
    if not two_factor.is_on(user):
        return redirect("admin:two_factor")
    required = two_factor.is_required(user)
    form = TurnOffForm(request.POST if request.method == "POST" else None, request=request)
    if not required and form.is_valid():
        two_factor.turn_off(user)
        _log(request, user, "Turned two-factor sign-in off.")
        messages.success(request, "Two-factor sign-in is off: your password alone signs you in.")
        return redirect("admin:two_factor")
    context = {**context, "title": "Turn off two-factor sign-in", "required": required}
    if not required:
        context["form"] = form
    status = 403 if required and request.method == "POST" else 400 if form.is_bound else 200
    return TemplateResponse(request, "admin/two_factor/turn_off.html", context, status=status)


class TwoFactorResetMixin:
    """A user's admin page gains "Reset two-factor sign-in", for superusers: a colleague who
    lost their phone and their recovery codes signs in with the password again."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/two-factor/reset/",
                self.admin_site.admin_view(self.two_factor_reset_view),
                name="auth_user_two_factor_reset",
            ),
            *super().get_urls(),
        ]

    def two_factor_reset_view(self, request, object_id):
        if not request.user.is_superuser:
            raise PermissionDenied
        colleague = self.get_object(request, unquote(object_id))
        if colleague is None:
            raise Http404("No such user.")
        change_url = reverse("admin:auth_user_change", args=[quote(colleague.pk)])
        if not two_factor.is_on(colleague):
            messages.info(request, f"{colleague} does not have two-factor sign-in on.")
            return redirect(change_url)
        if request.method == "POST":
            two_factor.turn_off(colleague)
            self.log_change(request, colleague, "Reset two-factor sign-in.")
            then = (
                " Their role needs it: they will set it up again when they next sign in."
                if two_factor.is_required(colleague)
                else ""
            )
            messages.success(
                request,
                f"Two-factor sign-in is reset for {colleague}: their password alone signs them "
                f"in.{then}",
            )
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Reset two-factor sign-in for {colleague}?",
            "opts": self.opts,
            "original": colleague,
            "change_url": change_url,
            "codes_left": two_factor.recovery_codes_left(colleague),
        }
        return TemplateResponse(request, "admin/two_factor/reset.html", context)
