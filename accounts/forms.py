"""Sign-in, second factor and confirmation forms, with GOV.UK error messages."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from accounts import second_factor


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "The username or password is not right. Check them and try again: "
            "after 5 failed attempts the account is locked for 15 minutes."
        ),
        "inactive": "This account has been switched off. Contact your system administrator.",
    }


class CodeForm(forms.Form):
    """A 6-digit code from the authenticator app, checked against ``check(code)``."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows now, like 123456",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(self, *args, check, throttled=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check
        self.throttled = throttled
        self.device = None

    def clean_code(self):
        code = second_factor.normalise_code(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(second_factor.CODE_NOT_DIGITS)
        if self.throttled and (message := self.throttled()):
            raise forms.ValidationError(message)
        self.device = self.check(code)
        if self.device is None:
            raise forms.ValidationError(second_factor.CODE_NOT_RIGHT)
        return code


class BackupCodeForm(forms.Form):
    code = forms.CharField(
        label="Backup code",
        help_text="One of the backup codes you were given when you set up your app",
        max_length=40,
        error_messages={"required": "Enter one of your backup codes"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        self.device = second_factor.verify_backup_code(self.user, self.cleaned_data["code"])
        if self.device is None:
            raise forms.ValidationError(second_factor.BACKUP_CODE_NOT_RIGHT)
        return self.cleaned_data["code"]


class ReauthenticateForm(forms.Form):
    """The password, or a code from the authenticator app, to confirm it is still them."""

    secret = forms.CharField(
        label="Your password, or a code from your authenticator app",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password or a code from your authenticator app"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_secret(self):
        secret = self.cleaned_data["secret"]
        if self.user.check_password(secret) or second_factor.verify_totp(self.user, secret):
            return secret
        raise forms.ValidationError(
            "That is not your password or a current code. Nothing has been done: try again."
        )


class NewPasswordForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not right. Enter it again.",
        "password_mismatch": "The two new passwords do not match. Enter the same one twice.",
    }
