"""The pytest plugin, exercised with pytester in a separate test session."""

from __future__ import annotations

pytest_plugins = ["pytester"]


def test_fixtures_are_fresh_per_test(pytester):
    pytester.makepyfile(
        """
        def test_one(sfn, sfn_backend):
            assert sfn.backend is sfn_backend
            sfn.create_activity(name="a")

        def test_two(sfn):
            assert sfn.list_activities()["activities"] == []
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2)


def test_marker_configures_the_fixtures(pytester):
    pytester.makepyfile(
        """
        import datetime as dt
        import pytest

        @pytest.mark.fakesfn(seed=9, region_name="eu-central-1", account_id="111111111111",
                             start_time=dt.datetime(2031, 1, 1, tzinfo=dt.timezone.utc))
        def test_marked(sfn, sfn_backend):
            assert sfn_backend.seed == 9
            assert sfn_backend.clock.now().year == 2031
            arn = sfn.create_activity(name="a")["activityArn"]
            assert arn == "arn:aws:states:eu-central-1:111111111111:activity:a"
        """
    )
    result = pytester.runpytest("--strict-markers")
    result.assert_outcomes(passed=1)


def test_unknown_marker_option_is_a_usage_error(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.fakesfn(sead=1)
        def test_typo(sfn):
            pass
        """
    )
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(["*unknown options*sead*"])
    assert result.ret != 0
