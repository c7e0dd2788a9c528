"""Running the background jobs a test queued, with the real worker command (no mock of the queue)."""

from django.core.management import call_command


def run_queued_jobs() -> None:
    """Run every queued task with `db_worker --batch`, in-process on the test database, then return."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


def admin_import(client, data: dict) -> str:
    """Post the admin import form as an editor does; a queued import is run by the worker and its job page
    (where the editor lands) is returned. A form the page refuses at once comes back as it is."""
    from django.urls import reverse

    response = client.post(reverse("admin:claims_article_import"), data)
    if response.status_code != 302 or "/job/" not in response["Location"]:
        return response.content.decode()
    run_queued_jobs()
    return client.get(response["Location"]).content.decode()
