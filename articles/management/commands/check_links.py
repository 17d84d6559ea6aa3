from django.core.management.base import BaseCommand, CommandError

from articles.linkcheck import LinkCheckRun


class Command(BaseCommand):
    help = (
        "Check every external address in published articles and record the status, "
        "final address and time. Safe to interrupt: results are saved one by one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only-stale",
            type=float,
            metavar="DAYS",
            help="Check only addresses never checked or last checked over DAYS ago.",
        )
        parser.add_argument(
            "--workers", type=int, default=8, help="Requests at once (default 8)."
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=10,
            help="Seconds to wait for each answer (default 10).",
        )
        parser.add_argument(
            "--host-delay",
            type=float,
            default=0.5,
            help="Seconds between requests to the same host (default 0.5); at most "
            "two run at once per host.",
        )
        parser.add_argument(
            "--limit", type=int, help="Check at most this many, oldest results first."
        )

    def handle(self, *args, **options):
        if options["workers"] < 1 or options["timeout"] <= 0:
            raise CommandError("--workers and --timeout must be positive.")
        self.show_progress = self.stdout.isatty()
        run = LinkCheckRun(
            workers=options["workers"],
            timeout=options["timeout"],
            host_delay=max(0, options["host_delay"]),
            only_stale_days=options["only_stale"],
            limit=options["limit"],
            on_result=self.progress,
        )
        try:
            run.run()
        except KeyboardInterrupt:
            self.end_progress(run)
            self.stdout.write(
                self.style.WARNING(
                    f"Interrupted: {run.checked} of {run.total} checked and saved. "
                    "Run again with --only-stale DAYS to check the rest."
                )
            )
            self.summary(run)
            return
        self.end_progress(run)
        self.stdout.write(f"Checked {run.checked} external links.")
        self.summary(run)

    def progress(self, run, link):
        if not self.show_progress:
            return
        width = 30
        done = int(width * run.checked / run.total)
        bar = "#" * done + "-" * (width - done)
        self.stdout.write(
            f"\r[{bar}] {run.checked}/{run.total}, {len(run.broken)} broken",
            ending="",
        )
        self.stdout.flush()

    def end_progress(self, run):
        if self.show_progress and run.checked:
            self.stdout.write("")

    def summary(self, run):
        for link in run.broken:
            reason = link.error or f"HTTP {link.status_code}"
            self.stdout.write(self.style.ERROR(f"  {reason}: {link.url}"))
        if run.broken:
            self.stdout.write(
                f"{len(run.broken)} broken; see the link report in the admin."
            )
