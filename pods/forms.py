from django import forms
from django.contrib.auth.forms import AuthenticationForm

from pods.models import Worker


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "The username or password is not right. Check them and try again: "
            "after 5 failed attempts the account is locked for 15 minutes."
        ),
        "inactive": "This account has been switched off. Contact your system administrator.",
    }


class DutyAssignForm(forms.Form):
    """Choose the duty worker for one day; an empty choice clears the day."""

    date = forms.DateField(widget=forms.HiddenInput)
    worker = forms.ModelChoiceField(
        queryset=Worker.objects.none(),
        required=False,
        empty_label="No one on duty",
        error_messages={"invalid_choice": "Choose a member of the team"},
    )

    def __init__(self, *args, members, dates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = members
        self.allowed_dates = set(dates)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date not in self.allowed_dates:
            raise forms.ValidationError("Choose a day shown on the rota")
        return date
