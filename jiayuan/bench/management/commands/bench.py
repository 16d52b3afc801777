"""`jiayuan bench appeals`: the appeals benchmark (see jiayuan/bench/appeals/__init__.py and BENCHMARKS.md).
`jiayuan bench elections`: an owners' general meeting at scale (see jiayuan/bench/elections.py), on the configured
database, in a transaction rolled back at the end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiayuan_bench jiayuan bench appeals
    jiayuan bench appeals --reuse                  measure again without regenerating
    jiayuan bench appeals --compounds 300 --appeals 20000 --city-compounds 30 --city-appeals 2000 --samples 20
"""

from django.core.management.base import BaseCommand, CommandError

from jiayuan.bench import elections as elections_bench
from jiayuan.bench.appeals import run as bench


def positive(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError(raw)
    return value


class Command(BaseCommand):
    help = (
        "Benchmark the appeals loop on PostgreSQL (city and province scale), or an owners' general meeting "
        "(elections), and print the figures."
    )

    def add_arguments(self, parser):
        defaults = bench.Options()
        parser.add_argument("target", choices=["appeals", "elections"], help="what to benchmark")
        parser.add_argument("--rooms", type=positive, default=3000, help="elections: rooms in the compound")
        parser.add_argument(
            "--compounds",
            type=positive,
            default=defaults.compounds,
            help="compounds at province scale (default %(default)s)",
        )
        parser.add_argument(
            "--appeals", type=positive, default=defaults.appeals, help="appeals at province scale (default %(default)s)"
        )
        parser.add_argument(
            "--city-compounds",
            type=positive,
            default=defaults.city_compounds,
            help="compounds at city scale (default %(default)s)",
        )
        parser.add_argument(
            "--city-appeals",
            type=positive,
            default=defaults.city_appeals,
            help="appeals at city scale (default %(default)s)",
        )
        parser.add_argument(
            "--samples",
            type=positive,
            default=defaults.samples,
            help="random samples per query and page (default %(default)s)",
        )
        parser.add_argument(
            "--ranking-samples",
            type=positive,
            default=defaults.ranking_samples,
            help="samples of the rankings and the scores page (default %(default)s)",
        )
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument(
            "--schema-prefix",
            default=defaults.schema_prefix,
            help="schemas are PREFIXcity and PREFIXprovince (default %(default)s)",
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="keep a schema that already holds the same scale and seed instead of regenerating",
        )
        parser.add_argument("--no-http", action="store_true", help="skip the server: no pages over HTTP, no load")
        parser.add_argument("--no-load", action="store_true", help="skip the intake load test")
        parser.add_argument("--no-job", action="store_true", help="skip the pass of the scheduled overdue job")
        parser.add_argument(
            "--job-province",
            action="store_true",
            help="run the overdue job at province scale too (long) instead of estimating it",
        )
        parser.add_argument(
            "--load-seconds",
            type=positive,
            default=defaults.load_seconds,
            help="seconds of each load run (default %(default)s)",
        )
        parser.add_argument(
            "--rounds",
            type=positive,
            default=defaults.rounds,
            help="load runs of each endpoint, taking turns (default %(default)s)",
        )
        parser.add_argument(
            "--connections",
            type=positive,
            default=defaults.connections,
            help="concurrent connections of the load generator (default %(default)s)",
        )
        parser.add_argument("--workers", type=positive, default=defaults.workers)
        parser.add_argument(
            "--port",
            type=positive,
            default=defaults.port,
            help="city server port; the province server uses the next one (default %(default)s)",
        )
        parser.add_argument(
            "--tool",
            choices=["auto", "wrk", "python"],
            default=defaults.tool,
            help="load generator: wrk if installed (auto), or the Python driver",
        )
        parser.add_argument("--markdown", default="", help="also write the tables as Markdown to this file")
        parser.add_argument("--drop", action="store_true", help="drop both schemas at the end")

    def handle(self, *args, target, **o):
        if target == "elections":
            for line in elections_bench.report(elections_bench.run(rooms=o["rooms"], seed=o["seed"])):
                self.stdout.write(line)
            return
        options = bench.Options(
            compounds=o["compounds"],
            appeals=o["appeals"],
            city_compounds=o["city_compounds"],
            city_appeals=o["city_appeals"],
            samples=o["samples"],
            ranking_samples=o["ranking_samples"],
            seed=o["seed"],
            schema_prefix=o["schema_prefix"],
            reuse=o["reuse"],
            http=not o["no_http"],
            job=not o["no_job"],
            job_province=o["job_province"],
            load=not o["no_load"],
            load_seconds=o["load_seconds"],
            rounds=o["rounds"],
            connections=o["connections"],
            workers=o["workers"],
            port=o["port"],
            tool=o["tool"],
            markdown=o["markdown"],
            drop=o["drop"],
        )
        if options.city_compounds > options.compounds or options.city_appeals > options.appeals:
            raise CommandError("The city scale must not be larger than the province scale.")

        def log(message: str) -> None:
            self.stdout.write(message)
            self.stdout.flush()

        runner = bench.Bench(options, log)
        try:
            results = runner.run()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        tables = runner.tables()
        log("")
        for table in tables:
            log(table.text())
            log("")
        log(f"Benchmark finished in {results.seconds:.0f} s (started {results.started}).")
        if options.markdown:
            with open(options.markdown, "w") as out:
                out.write(f"Run started {results.started}, {results.seconds:.0f} s in all.\n\n")
                out.write("\n\n".join(table.markdown() for table in tables) + "\n")
            log(f"Markdown tables written to {options.markdown}")
