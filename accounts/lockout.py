"""Sign-in lockout by account *and* by address, each with its own limit (django-axes).

* A username from one address: ``PODS_LOCKOUT_ACCOUNT_FAILURES`` failures lock that
  username at that address only, so nobody can lock a colleague out from somewhere else.
* An address across all usernames: ``PODS_LOCKOUT_ADDRESS_FAILURES`` failures lock the
  address, so one machine cannot spray a common password over many accounts. It is higher,
  as a council's staff share a few office addresses.

axes compares one failure count with one limit. This handler answers, for each of
``AXES_LOCKOUT_PARAMETERS`` in turn, whether that parameter has reached its own limit, and
gives axes the number of limits reached; with ``AXES_FAILURE_LIMIT = 1`` any one locks."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def _limit_for(parameter) -> int:
    names = {parameter} if isinstance(parameter, str) else set(parameter)
    if names == {"ip_address"}:
        return settings.PODS_LOCKOUT_ADDRESS_FAILURES
    return settings.PODS_LOCKOUT_ACCOUNT_FAILURES


class AccountAndAddressLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        attempts_list = self.get_user_attempts(request, credentials)
        reached = 0
        for parameter, attempts in zip(
            settings.AXES_LOCKOUT_PARAMETERS, attempts_list, strict=True
        ):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            reached += failures >= _limit_for(parameter)
        return reached

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in clears that account's failures at that address only: clearing
        the address's failures too would let a sprayer reset the address count by signing in
        to an account of their own now and then."""
        account_at_address = self.filter_user_attempts(request, credentials)[0]
        count, _ = account_at_address.delete()
        return count
