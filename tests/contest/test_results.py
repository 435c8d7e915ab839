"""The jury's arithmetic: the mean, the cap, the disagreement flag and μ + σ·z."""

import statistics
from types import SimpleNamespace

from profinfo.contest.results import normalized


def criteria(points=2.0):
    return {7: SimpleNamespace(points=points)}


def test_normalization_brings_a_strict_expert_to_the_jurys_scale():
    # expert 1 is strict (0, 0.5, 1 of 2 points), expert 2 generous (1, 1.5, 2)
    marks = {(a, 7): [(1, strict), (2, generous)]
             for a, strict, generous in [(1, 0.0, 1.0), (2, 0.5, 1.5), (3, 1.0, 2.0)]}
    result = normalized(marks, criteria())
    everyone = [p / 2 for pairs in marks.values() for _, p in pairs]
    mu, sigma = statistics.fmean(everyone), statistics.pstdev(everyone)
    own = [0.0, 0.25, 0.5]
    z = (0.0 - statistics.fmean(own)) / statistics.pstdev(own)
    assert dict(result[(1, 7)])[1] == (mu + sigma * z) * 2
    # both experts ranked the three applications alike: after normalization they agree
    for application in (1, 2, 3):
        strict, generous = (p for _, p in result[(application, 7)])
        assert abs(strict - generous) < 1e-9


def test_an_expert_with_too_few_or_equal_marks_is_not_normalized():
    marks = {(1, 7): [(1, 2.0), (2, 0.5)], (2, 7): [(1, 2.0), (2, 1.0)]}
    assert normalized(marks, criteria()) == marks
    same = {(a, 7): [(1, 1.0)] for a in (1, 2, 3)}
    assert normalized(same, criteria()) == same


def test_normalized_points_stay_within_the_criterion():
    marks = {(a, 7): [(1, p)] for a, p in enumerate([0.0, 0.0, 0.0, 2.0])}
    marks.update({(a, 7): [(2, 2.0)] for a in range(10, 20)})
    for pairs in normalized(marks, criteria()).values():
        assert all(0.0 <= p <= 2.0 for _, p in pairs)


def test_a_prize_place_needs_points():
    from profinfo.contest.results import wins

    assert wins(1, 3.5, 3) and wins(3, 0.25, 3)
    assert not wins(4, 10, 3)
    assert not wins(2, 0.0, 3)  # nothing known, or nothing met: no diploma
