"""Signing in to the admin of the test server (``live_server``) as a factory-made
login, through the login form as a person does."""

from tests.factories import PASSWORD


def sign_in(live_server, page, user) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
