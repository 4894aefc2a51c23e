"""Sign-in pages: login (with lock-out messages), the second-factor pages, and the user's own
account security page (two-step verification, API tokens, password)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import otp, services
from accounts.forms import CodeForm, LoginForm
from accounts.models import ApiToken


def safe_next(request, default: str) -> str:
    """The `next` parameter if it points into this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def second_factor_url(request, next_url: str) -> str:
    """Where a session that still needs a code goes: the code page, or enrolment without a device."""
    name = "accounts:otp-verify" if otp.confirmed_device(request.user) else "accounts:otp-setup"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        url = super().get_success_url()
        if otp.session_needs_code(self.request):
            return second_factor_url(self.request, url)
        return url


@login_required
def security(request):
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "device": otp.confirmed_device(user),
            "otp_required": otp.required_by_role(user),
            "tokens": ApiToken.objects.filter(user=user).order_by("-created"),
        },
    )


@login_required
def otp_setup(request):
    """Enrol an authenticator app: scan the QR code, confirm with a first code. With a device
    already confirmed, only a verified session may replace it (a new phone)."""
    user = request.user
    next_url = safe_next(request, reverse("accounts:security"))
    if otp.confirmed_device(user) is not None and otp.session_needs_code(request):
        return redirect(second_factor_url(request, next_url))
    device = otp.enrolment_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = otp.enrolment_confirm(request=request, device=device, code=form.cleaned_data["code"])
        if error is None:
            messages.success(request, _("Two-step verification is on. Sign-ins now ask for a code from your app."))
            return redirect(next_url)
        form.add_error("code", error)
    context = {"form": form, "qr_svg": otp.qr_svg(device), "secret": otp.secret_text(device), "next": next_url}
    return render(request, "accounts/otp_setup.html", context, status=400 if form.errors else 200)


@login_required
def otp_verify(request):
    next_url = safe_next(request, reverse("home"))
    if otp.confirmed_device(request.user) is None:
        return redirect(second_factor_url(request, next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = otp.session_verify(request=request, code=form.cleaned_data["code"])
        if error is None:
            return redirect(next_url)
        form.add_error("code", error)
    return render(
        request, "accounts/otp_verify.html", {"form": form, "next": next_url}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def otp_remove(request):
    """Switch two-step verification off: only for users whose role does not require it."""
    if otp.required_by_role(request.user):
        raise PermissionDenied
    device = otp.confirmed_device(request.user)
    if device is not None:
        otp.device_remove(device=device, by=request.user)
        request.session[otp.SESSION_ENROLLED] = False
        messages.success(request, _("Two-step verification is off."))
    return redirect("accounts:security")


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("The API token %(token)s… no longer works.") % {"token": token.token_key})
    return redirect("accounts:security")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change (current password, the password policy), audited; the session
    stays signed in, other sessions of the user end."""

    success_url = reverse_lazy("accounts:security")

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user, request=self.request)
        messages.success(self.request, _("Your password has been changed."))
        return response
