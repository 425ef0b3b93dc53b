
import pytest

from tests.threads import single_thread


@pytest.fixture(autouse=True, scope="package")
def one_thread():
    with single_thread():
        yield
