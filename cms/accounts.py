"""Logins choose their own passwords (new ones by an emailed link, forgotten ones
too) and, on their profile page, which emails they are sent."""

from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import NotificationKind, NotificationSettings
from .models.notifications import switch


def send_set_password_email(user, request) -> None:
    """Email ``user`` a link to choose a password (valid for PASSWORD_RESET_TIMEOUT)."""
    context = {
        "email": user.email,
        "domain": request.get_host(),
        "site_name": settings.CMS_SITE_NAME,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": request.scheme,
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    PasswordResetForm().send_mail(
        "registration/new_login_subject.txt",
        "registration/new_login_email.txt",
        context,
        None,
        user.email,
    )


class NewsroomPasswordResetForm(PasswordResetForm):
    """Also answers logins that have not chosen a password yet (their link expired)."""

    def get_users(self, email):
        return (
            user
            for user in get_user_model()._default_manager.filter(
                email__iexact=email, is_active=True
            )
            if user.email.lower() == email.lower()
        )


class AdminBranded:
    """The password pages are the admin's: its header and title, not Django's."""

    def get_context_data(self, **kwargs):
        site = admin.site
        return super().get_context_data(
            site_header=site.site_header, site_title=site.site_title, **kwargs
        )


class PasswordResetView(AdminBranded, auth_views.PasswordResetView):
    form_class = NewsroomPasswordResetForm

    @property
    def extra_email_context(self):
        return {"site_name": settings.CMS_SITE_NAME}


class PasswordResetDoneView(AdminBranded, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(AdminBranded, auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        """A new password from an emailed link proves who they are: unlock them."""
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


class PasswordResetCompleteView(AdminBranded, auth_views.PasswordResetCompleteView):
    pass


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = [switch(kind) for kind in NotificationKind]


def profile(request, site):
    """Each person's own page on the admin ``site``: their address, and which emails
    they want."""
    chosen = NotificationSettings.objects.for_user(request.user)
    form = NotificationSettingsForm(request.POST or None, instance=chosen)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your email settings are saved.")
        return redirect("admin:profile")
    context = {
        **site.each_context(request),
        "title": "Your profile",
        "form": form,
        "email": request.user.email,
    }
    return TemplateResponse(request, "admin/profile.html", context)
