"""The faster retry policy must retry on exactly the statuses msrest always did."""

from msrest.universal_http.requests import ClientRetryPolicy

from bot.teams.msrest_speedup import speed_up_retry_policy

# msrest's own definition (msrest/universal_http/requests.py), as a list.
ORIGINAL_SAFE = [i for i in range(500) if i != 408] + [501, 505]


def test_the_retried_statuses_are_unchanged() -> None:
    speed_up_retry_policy()
    speed_up_retry_policy()  # applying it twice is harmless

    policy = ClientRetryPolicy().policy

    assert policy.status_forcelist == [i for i in range(999) if i not in ORIGINAL_SAFE]
    assert 408 in policy.status_forcelist and 500 in policy.status_forcelist
    assert 404 not in policy.status_forcelist and 501 not in policy.status_forcelist
