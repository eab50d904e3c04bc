"""Newsroom's admin site: Django's, with the sign-in in two steps (newsroom/sign_in.py) and,
when two-factor is required for an account, its set-up before any other page."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from . import admin_two_factor, sign_in, two_factor
from .login_limits import LimitedLoginForm


class NewsroomAdminSite(admin.AdminSite):
    """Django's admin site, whose sign-in asks for a code after the password when the account
    has two-factor on."""

    login_form = LimitedLoginForm

    def get_urls(self):
        # Before Django's, which end with a catch-all.
        return [
            path("login/code/", self.login_code, name="login_code"),
            path("two-factor/", self.admin_view(self.two_factor), name="two_factor"),
            path(
                "two-factor/recovery-codes/",
                self.admin_view(self.two_factor_recovery_codes),
                name="two_factor_recovery_codes",
            ),
            path("two-factor/off/", self.admin_view(self.two_factor_off), name="two_factor_off"),
            *super().get_urls(),
        ]

    def admin_view(self, view, cacheable=False):
        """Wrap ``view`` as Django does, and send an account that must set up two-factor
        sign-in to its set-up page from every page but that one and signing out."""

        def gate(request, *args, **kwargs):
            allowed = view in (self.two_factor, self.logout)
            if not allowed and two_factor.must_set_up(request.user):
                return HttpResponseRedirect(reverse("admin:two_factor", current_app=self.name))
            return view(request, *args, **kwargs)

        # Named as the view, with its attributes (csrf_exempt and the like) where Django reads them.
        return super().admin_view(update_wrapper(gate, view), cacheable)

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """Show the password step; a right password signs in an account without two-factor,
        and leads the others to the code step."""
        redirect_url = LoginView().get_redirect_url(request) or reverse(
            "admin:index", current_app=self.name
        )
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(redirect_url)
        context = {
            **self.each_context(request),
            "title": "Log in",
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
            REDIRECT_FIELD_NAME: redirect_url,
            **(extra_context or {}),
        }
        request.current_app = self.name
        return sign_in.PasswordStepView.as_view(
            extra_context=context,
            authentication_form=self.login_form,
            template_name=self.login_template or "admin/login.html",
        )(request)

    @method_decorator(never_cache)
    @login_not_required
    def login_code(self, request):
        """Ask for the code after a right password (newsroom/sign_in.py)."""
        request.current_app = self.name
        return sign_in.code_step(request, self.each_context(request))

    def two_factor(self, request):
        return admin_two_factor.set_up_page(request, self.each_context(request))

    def two_factor_recovery_codes(self, request):
        return admin_two_factor.recovery_codes_page(request, self.each_context(request))

    def two_factor_off(self, request):
        return admin_two_factor.turn_off_page(request, self.each_context(request))
