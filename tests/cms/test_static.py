import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_collectstatic_writes_hashed_and_compressed_files(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_VERSION"}
    env.update(
        DJANGO_SECRET_KEY="x" * 50, DJANGO_DEBUG="0", DJANGO_STATIC_ROOT=str(tmp_path)
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=REPO,
        env=env,
        check=True,
    )
    hashed = [
        p for p in (tmp_path / "cms" / "site").glob("site.*.css") if p.suffix == ".css"
    ]
    assert len(hashed) == 1, "site.css should get exactly one hashed copy"
    assert Path(f"{hashed[0]}.gz").exists()
    assert (tmp_path / "staticfiles.json").exists()
