from tests.studio.conftest import client, home  # noqa: F401  (the studio's API client)
