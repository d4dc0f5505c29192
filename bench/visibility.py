"""How long ``Family.objects.visible_to(user)`` takes beside guardian's generic
``get_objects_for_user`` on the same data, for a pod member: measured in-process, as a ratio.

Guardian's lookup answers a narrower question (object permissions only: no grant expiry, no
restricted records), so the ratio shows what the extra rules cost."""

from __future__ import annotations

import statistics
import time

REPEATS = 50


def _time_ms(run, repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def compare(username: str, repeats: int = REPEATS) -> dict:
    from django.contrib.auth import get_user_model
    from guardian.shortcuts import get_objects_for_user

    from families.models import Family

    user = get_user_model().objects.get(username=username)

    def ours():
        return list(Family.objects.visible_to(user).values_list("pk", flat=True))

    def guardians():
        families = get_objects_for_user(
            user, "families.view_family", klass=Family,
            accept_global_perms=False, with_superuser=False,
        )  # fmt: skip
        return list(families.values_list("pk", flat=True))

    seen_by_us, seen_by_guardian = set(ours()), set(guardians())
    ours_ms = _time_ms(ours, repeats)
    guardian_ms = _time_ms(guardians, repeats)
    ours_p50, guardian_p50 = statistics.median(ours_ms), statistics.median(guardian_ms)
    return {
        "username": username,
        "repeats": repeats,
        "families_visible": len(seen_by_us),
        "families_guardian": len(seen_by_guardian),
        "visible_to_p50_ms": round(ours_p50, 2),
        "get_objects_for_user_p50_ms": round(guardian_p50, 2),
        "ratio": round(ours_p50 / guardian_p50, 2) if guardian_p50 else None,
    }
