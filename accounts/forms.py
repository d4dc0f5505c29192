"""Sign-in, second factor and confirmation forms, with GOV.UK error messages."""

from __future__ import annotations

from django import forms

from accounts import second_factor


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
