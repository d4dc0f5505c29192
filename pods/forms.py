from django import forms

from pods.models import Worker


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
