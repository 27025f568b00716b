"""The embedded sample is what seeds/make_sample.py makes: the same bytes, and its own verify() passes (published
2021-2023 totals, and the later files: one row in force per expected commune, totals, trajectories, the late
report and the correction after 1 July 2025)."""

import sys

from helpers import PROJECT_ROOT, SAMPLE_INBOX

sys.path.insert(0, str(PROJECT_ROOT / "seeds"))

import make_sample  # noqa: E402
import make_sample_later  # noqa: E402


def test_sample_is_reproduced_byte_for_byte_and_verifies(tmp_path):
    written = make_sample.build(tmp_path)
    committed = sorted(p.name for p in SAMPLE_INBOX.glob("*.xlsx") if not make_sample.is_plan_file(p))
    assert sorted(p.name for p in written) == committed
    assert [p.name for p in written if p.read_bytes() != (SAMPLE_INBOX / p.name).read_bytes()] == []
    summary = make_sample.verify(tmp_path)  # the built copy: a checkout does not keep modification times
    assert summary["files"] == 213 and summary["later"]["files"] == 112
    assert summary["later"]["savings_reports"] == 9 + 41 - len(make_sample_later.SAVINGS_MISSING)
