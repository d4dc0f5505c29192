"""The living case summary: every version kept, and two people editing at once never
silently lose work."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from onestory import services
from onestory.models import TEXT_LIMIT, CaseSummary

pytestmark = pytest.mark.django_db


def test_saving_moves_the_version_on_and_keeps_every_version(family, social_worker):
    first = services.summary_save(
        family=family,
        sections={"worries": "Ada is often hungry"},
        based_on_version=0,
        user=social_worker.user,
    )
    second = services.summary_save(
        family=family,
        sections={"worries": "Ada is hungry less often"},
        based_on_version=1,
        user=social_worker.user,
    )
    assert (first.version, second.version) == (1, 2)
    texts = list(second.history.order_by("history_date").values_list("worries", flat=True))
    assert texts[-2:] == ["Ada is often hungry", "Ada is hungry less often"]


def test_a_save_over_a_newer_version_is_refused_and_shows_the_newer_text(
    family, social_worker, pod_manager
):
    services.summary_save(
        family=family, sections={"plan": "Mine"}, based_on_version=0, user=social_worker.user
    )
    with pytest.raises(services.SummaryConflict) as conflict:
        services.summary_save(
            family=family, sections={"plan": "Theirs"}, based_on_version=0, user=pod_manager.user
        )
    assert conflict.value.current.plan == "Mine"
    assert CaseSummary.objects.get(family=family).plan == "Mine"


def test_a_huge_paste_is_refused_with_the_limit_named(family, social_worker):
    with pytest.raises(ValidationError) as error:
        services.summary_save(
            family=family,
            sections={"worries": "x" * (TEXT_LIMIT + 1)},
            based_on_version=0,
            user=social_worker.user,
        )
    assert "What we are worried about must be 20,000 characters or fewer" in error.value.messages[0]
    assert services.summary_for(family).version == 0


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_against_the_real_database_one_wins_one_is_told(
    family, social_worker, pod_manager
):
    services.summary_for(family)
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(name, user):
        try:
            barrier.wait(timeout=10)
            services.summary_save(
                family=family, sections={"plan": name}, based_on_version=0, user=user
            )
            outcomes[name] = "saved"
        except services.SummaryConflict as conflict:
            outcomes[name] = f"conflict with {conflict.current.plan}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=("Sam's plan", social_worker.user)),
        threading.Thread(target=save, args=("Morgan's plan", pod_manager.user)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winner = CaseSummary.objects.get(family=family).plan
    loser = "Morgan's plan" if winner == "Sam's plan" else "Sam's plan"
    assert outcomes == {winner: "saved", loser: f"conflict with {winner}"}
    assert CaseSummary.objects.get(family=family).version == 1
