"""The admin's sign-in in two steps: the password, with its limits (newsroom/login_limits.py),
then, for an account with two-factor on, a code from its app or one of its recovery codes.

A right password for such an account signs nobody in. The session keeps only a mark of whose
password it checked and when, good for a few minutes and for this browser alone; the code step
trusts that mark and nothing else, so a code posted without a fresh password step gets nowhere.
A wrong code counts as a wrong password, and the account's count is cleared only once the
sign-in is complete.
"""

import time

from django import forms
from django.contrib.auth import get_user_model, login
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.crypto import constant_time_compare
from django_otp import login as otp_login

from . import login_limits, two_factor

MARK = "_two_factor_password_checked"
MARK_SECONDS = 300


class PasswordStepView(LoginView):
    """Django's sign-in view, signing in at once only an account without two-factor."""

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.is_on(user):
            login_limits.clear_account(self.request, user.get_username())
            return super().form_valid(form)
        # A new session key for the half-way state too: one fixed in advance learns nothing.
        self.request.session.cycle_key()
        self.request.session[MARK] = {
            "user": user.pk,
            "at": int(time.time()),
            # A password changed meanwhile voids the mark, as it ends sessions.
            "hash": user.get_session_auth_hash(),
            "backend": user.backend,
            "next": self.get_success_url(),  # checked by LoginView: this site only
        }
        return redirect("admin:login_code")


def password_checked_user(request):
    """Return the user whose password this session checked in the last few minutes, or None."""
    mark = request.session.get(MARK)
    if not isinstance(mark, dict) or not isinstance(mark.get("at"), int):
        return None
    if not 0 <= time.time() - mark["at"] <= MARK_SECONDS:
        return None
    user = get_user_model()._default_manager.filter(pk=mark.get("user")).first()
    if user is None or not (user.is_active and user.is_staff):
        return None
    if not constant_time_compare(user.get_session_auth_hash(), str(mark.get("hash"))):
        return None
    return user if two_factor.is_on(user) else None


class CodeForm(forms.Form):
    """The second step: a code from the app, or a recovery code, checked against the limits."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
                "aria-describedby": "code-help",
            }
        ),
        error_messages={"required": "Enter the 6-digit code your app shows now."},
    )

    malformed = (
        "A code is the 6 digits your authenticator app shows, or a recovery code of 8 letters "
        "and digits."
    )
    wrong = (
        "That code is not right, or it has been used already. Enter the code your app shows "
        "now, or one of your recovery codes."
    )

    def __init__(self, *args, request, user, recovery=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.request, self.user, self.device = request, user, None
        if recovery:
            # Letters too: a phone's number pad would not let them be typed.
            self.fields["code"].label = "Recovery code"
            self.fields["code"].widget.attrs["inputmode"] = "text"
            self.fields["code"].error_messages["required"] = "Enter one of your recovery codes."

    def clean_code(self):
        code = two_factor.clean_code(self.cleaned_data["code"])
        if code is None:
            raise ValidationError(self.malformed, code="malformed")  # cannot match: not counted
        return code

    def clean(self):
        username = self.user.get_username()
        login_limits.check_not_paused(self.request, username)
        if (code := self.cleaned_data.get("code")) is None:
            return self.cleaned_data
        self.device = two_factor.use_code(self.user, code)
        if self.device is None:
            login_limits.count_failure(self.request, username)
            raise ValidationError(self.wrong, code="wrong_code")
        return self.cleaned_data


def code_step(request, context):
    """Ask for the code after a right password; sign in on a right one."""
    user = password_checked_user(request)
    if user is None:
        request.session.pop(MARK, None)
        return TemplateResponse(
            request,
            "admin/two_factor/start_again.html",
            {**context, "title": "Sign in again"},
            status=403,
        )
    recovery = request.GET.get("with") == "recovery"
    data = request.POST if request.method == "POST" else None
    form = CodeForm(data, request=request, user=user, recovery=recovery)
    if form.is_valid():
        mark = request.session.pop(MARK)
        login(request, user, backend=mark["backend"])  # a new session key, as every sign-in
        otp_login(request, form.device)
        login_limits.clear_account(request, user.get_username())
        return redirect(mark["next"])
    context = {
        **context,
        "title": "Enter your code",
        "form": form,
        "recovery": recovery,
        "app_path": request.get_full_path(),
        "username": user.get_username(),
    }
    return TemplateResponse(request, "admin/two_factor/code.html", context)
