"""`aims log ...` (the signed decision log) and `aims oversight ...` (kill switch, reviews, stats)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from aims.cli.exit_codes import ExitCode
from aims.errors import InputError, UsageError

DEFAULT_DB = ".aims/log/decisions.db"
RETENTION_DAYS = 190

log_app = typer.Typer(
    help=(
        "The tamper-evident decision log: keys, checkpoints, verification, proofs, export, "
        "retention. Exit codes: 0 verified, 1 verification failed, 2 usage error, 3 tool error."
    ),
    no_args_is_help=True,
)
oversight_app = typer.Typer(
    help="Human oversight: the kill switch, the review queue and automation-bias statistics.",
    no_args_is_help=True,
)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="AIMS_LOG_URL",
        help=f"Log database: a SQLAlchemy URL or an SQLite file path [default: {DEFAULT_DB}].",
    ),
]
KeyOption = Annotated[
    Path | None,
    typer.Option(
        "--key",
        envvar="AIMS_LOG_KEY",
        help="Signing key file [default: $AIMS_LOG_KEY_DIR or ~/.config/aims/log-keys/log.key].",
    ),
]
PubOption = Annotated[
    Path | None,
    typer.Option(
        "--public-key",
        envvar="AIMS_LOG_PUBLIC_KEY",
        help="Trusted public keys file (one verifier key per line) to verify against.",
    ),
]


def _url(db: str | None, *, must_exist: bool) -> str:
    value = db or DEFAULT_DB
    if "://" in value:
        return value
    path = Path(value)
    if must_exist and not path.exists():
        raise InputError(
            f"no decision log at {path}", hint="pass --db, or record decisions with aims.oversight"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _key(key: Path | None) -> Path:
    from aims.ledger.keys import default_key_dir

    return key or default_key_dir() / "log.key"


def _open_log(db: str | None, key: Path | None, *, must_exist: bool = True, signing: bool = False):  # type: ignore[no-untyped-def]
    from aims.ledger.log import TransparencyLog

    key_path = _key(key)
    if signing and not key_path.exists():
        raise InputError(f"no signing key at {key_path}", hint="create one with `aims log keygen`")
    return TransparencyLog.open(
        _url(db, must_exist=must_exist), key_path=key_path if key_path.exists() else None
    )


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        output.write_text(text, "utf-8")


def _report(report: Any, what: str) -> None:
    from aims.cli.console import err_console

    console = err_console()
    for note in report.notes:
        console.print(f"note: {note}")
    if report.ok:
        console.print(
            f"[green]verified[/] {what}: {report.size} entries, "
            f"{report.checkpoints} signed checkpoint(s)"
        )
        return
    for problem in report.problems:
        console.print(f"[red]FAILED[/] {problem}", markup=True)
    console.print(f"[red]verification failed[/] for {what}: {len(report.problems)} problem(s)")
    raise typer.Exit(int(ExitCode.GATE_FAILED))


@log_app.command("keygen")
def keygen(
    name: Annotated[
        str, typer.Option(help="Key and log origin name, e.g. example.com/credit-log.")
    ] = "aims.local/decision-log",
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the key.")] = None,
    key: KeyOption = None,
) -> None:
    """Create an Ed25519 signing key (mode 0600) and append its public key to `<key>.pub`.

    Running it again with a new --out path rotates keys: the new public key joins the same
    .pub file only if you point --out beside it; keep every old public key in the trusted file
    so old checkpoints keep verifying.
    """
    from aims.ledger.checkpoint import CheckpointError, Signer
    from aims.ledger.keys import write_signer

    try:
        signer = Signer.generate(name)
    except CheckpointError as exc:
        raise UsageError(str(exc)) from exc
    path = out or _key(key)
    pub = write_signer(signer, path)
    typer.echo(signer.verifier.encode())
    from aims.cli.console import err_console

    err_console().print(f"signing key written to {path} (keep it secret); public key in {pub}")


@log_app.command("checkpoint")
def checkpoint(db: DbOption = None, key: KeyOption = None) -> None:
    """Sign a checkpoint over the log as it is now and print it (signed note format)."""
    log = _open_log(db, key, signing=True)
    note = log.checkpoint()
    log.close()
    typer.echo(note or "", nl=False)


@log_app.command("verify")
def verify(
    db: DbOption = None,
    key: KeyOption = None,
    public_key: PubOption = None,
    bundle: Annotated[
        Path | None, typer.Option(help="Verify an exported bundle offline instead of the database.")
    ] = None,
    proof: Annotated[
        Path | None, typer.Option(help="Verify one entry from a proof file (`aims log prove`).")
    ] = None,
    old_checkpoint: Annotated[
        Path | None, typer.Option(help="Check that the log (or --new-checkpoint) extends this.")
    ] = None,
    new_checkpoint: Annotated[
        Path | None, typer.Option(help="The newer checkpoint for --old-checkpoint.")
    ] = None,
) -> None:
    """Verify the whole log, one entry, a bundle, or a new checkpoint against an old one.

    Detects modified, deleted, reordered and truncated entries, altered checkpoints and
    rollback, and says where. Exit 1 when verification fails.
    """
    from aims.ledger.keys import read_verifiers

    trusted = read_verifiers(public_key) if public_key else None
    if bundle is not None:
        from aims.ledger.bundle import load_bundle, verify_bundle

        report = verify_bundle(load_bundle(_read(bundle)), trusted)
        _report(report, f"bundle {bundle}")
        return
    if proof is not None:
        _verify_proof(proof, trusted)
        return
    from aims.ledger.log import trusted_verifiers
    from aims.ledger.verify import verify_store

    log = _open_log(db, key)
    verifiers, source = (
        (trusted, str(public_key))
        if trusted
        else trusted_verifiers(log, pub_path=None, key_path=_key(key))
    )
    if old_checkpoint is not None:
        _verify_pair(log, old_checkpoint, new_checkpoint, verifiers)
        return
    report = verify_store(log.store, verifiers)
    report.notes.insert(0, f"trusted keys: {source}")
    log.close()
    _report(report, "decision log")


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text") from exc


def _verify_proof(path: Path, trusted: Any) -> None:
    import base64

    from aims.cli.console import err_console
    from aims.ledger.checkpoint import CheckpointError, Verifier
    from aims.ledger.tree import ProofError
    from aims.ledger.verify import verify_entry_proof

    try:
        data = json.loads(_read(path))
        verifiers = trusted or [Verifier.decode(k) for k in data["public_keys"]]
        cp = verify_entry_proof(
            payload=base64.b64decode(data["payload"]),
            index=int(data["index"]),
            proof=[bytes.fromhex(p) for p in data["inclusion_proof"]],
            checkpoint_note=data["checkpoint"],
            verifiers=verifiers,
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"malformed proof file {path}: {exc}") from exc
    except (ProofError, CheckpointError) as exc:
        err_console().print(f"[red]verification failed[/]: entry proof: {exc}")
        raise typer.Exit(int(ExitCode.GATE_FAILED)) from exc
    err_console().print(
        f"[green]verified[/] entry {data['index']} is in {cp.origin} at size {cp.size}"
    )


def _verify_pair(log: Any, old: Path, new: Path | None, verifiers: Any) -> None:
    from aims.cli.console import err_console
    from aims.ledger.checkpoint import CheckpointError, open_checkpoint
    from aims.ledger.tree import ProofError
    from aims.ledger.verify import verify_checkpoint_pair

    old_note = _read(old)
    new_note = _read(new) if new else (log.checkpoint() or "")
    if not new_note:
        raise InputError("no newer checkpoint: pass --new-checkpoint or a signing key")
    try:
        old_cp, _ = open_checkpoint(old_note, verifiers)
        new_cp, _ = open_checkpoint(new_note, verifiers)
        if new_cp.size < old_cp.size:
            raise ProofError(f"size went backwards: {old_cp.size} -> {new_cp.size} (rollback)")
        proof = log.store.consistency_proof(old_cp.size, new_cp.size)
        verify_checkpoint_pair(
            old_note=old_note, new_note=new_note, proof=proof, verifiers=verifiers
        )
    except (ProofError, CheckpointError) as exc:
        err_console().print(f"[red]verification failed[/]: {exc}")
        raise typer.Exit(int(ExitCode.GATE_FAILED)) from exc
    err_console().print(
        f"[green]verified[/] checkpoint at size {new_cp.size} extends the one at {old_cp.size}"
    )


@log_app.command("prove")
def prove(
    index: Annotated[int, typer.Argument(help="Log index of the entry.")],
    db: DbOption = None,
    key: KeyOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Write a proof file: one entry, its inclusion proof and the latest signed checkpoint."""
    import base64

    log = _open_log(db, key)
    latest = log.store.latest_checkpoint()
    entry = log.store.entry(index)
    if entry is None:
        raise UsageError(f"the log has no entry {index}")
    if latest is None or latest.size <= index:
        raise InputError(
            f"entry {index} is not covered by a signed checkpoint yet",
            hint="run `aims log checkpoint`",
        )
    if entry.payload is None:
        raise InputError(f"entry {index} was pruned by retention; only its hash remains")
    data = {
        "format": "aims/log-proof/1",
        "index": index,
        "payload": base64.b64encode(entry.payload).decode(),
        "inclusion_proof": [p.hex() for p in log.store.inclusion_proof(index, latest.size)],
        "checkpoint": latest.note,
        "public_keys": [v.encode() for v in log.stored_verifiers()],
    }
    log.close()
    _emit(json.dumps(data, indent=2) + "\n", output)


@log_app.command("export")
def export(
    db: DbOption = None,
    key: KeyOption = None,
    public_key: PubOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Bundle file.")] = None,
    system: Annotated[str | None, typer.Option(help="Only this AI system's entries.")] = None,
    since: Annotated[
        str | None, typer.Option(help="Only entries at or after this ISO date.")
    ] = None,
) -> None:
    """Write an evidence bundle that `aims log verify --bundle` checks offline elsewhere."""
    from aims.ledger.bundle import export_bundle
    from aims.ledger.keys import read_verifiers
    from aims.ledger.log import trusted_verifiers

    log = _open_log(db, key)
    if public_key:
        verifiers = read_verifiers(public_key)
    else:
        verifiers, _ = trusted_verifiers(log, pub_path=None, key_path=_key(key))
    log.checkpoint()

    def select(record: dict[str, Any]) -> bool:
        if system and record.get("system") != system:
            return False
        return not (since and str(record.get("ts", "")) < since)

    bundle = export_bundle(log, verifiers, select=select)
    log.close()
    _emit(json.dumps(bundle, indent=1) + "\n", output)


@log_app.command("prune")
def prune(
    db: DbOption = None,
    key: KeyOption = None,
    retention_days: Annotated[
        int,
        typer.Option(
            envvar="AIMS_LOG_RETENTION_DAYS",
            help="Keep payloads this many days (EU AI Act Art. 19/26(6): at least six months).",
        ),
    ] = RETENTION_DAYS,
    allow_short: Annotated[
        bool, typer.Option(help="Allow a retention shorter than six months.")
    ] = False,
) -> None:
    """Drop payloads older than the retention period, keeping hashes so verification still works."""
    if retention_days < 183 and not allow_short:
        raise UsageError(
            f"a retention of {retention_days} days is under six months",
            hint="pass --allow-short if your legal basis allows it",
        )
    log = _open_log(db, key)
    cutoff = (datetime.now(UTC) - timedelta(days=retention_days)).isoformat().replace("+00:00", "Z")
    count = log.store.prune_before(cutoff)
    log.close()
    from aims.cli.console import err_console

    err_console().print(f"pruned {count} payload(s) older than {cutoff}; hashes kept")


# -- oversight -----------------------------------------------------------------------------------


def _flip_switch(
    system: str, *, halted: bool, reason: str, by: str, db: str | None, key: Path | None
) -> None:
    from aims.cli.console import err_console
    from aims.oversight import Oversight

    ov = Oversight(system, _open_log(db, key, must_exist=False))
    index = ov.halt(reason, by=by) if halted else ov.resume(reason, by=by)
    ov.close()
    err_console().print(f"{system} {'halted' if halted else 'resumed'} (log entry {index})")


@oversight_app.command("halt")
def halt(
    system: Annotated[str, typer.Argument(help="AI system ID.")],
    reason: Annotated[str, typer.Option(help="Why the system is stopped.")],
    by: Annotated[str, typer.Option(help="Who stops it.")],
    db: DbOption = None,
    key: KeyOption = None,
) -> None:
    """Engage the kill switch: every later decision of SYSTEM raises SystemHaltedError."""
    _flip_switch(system, halted=True, reason=reason, by=by, db=db, key=key)


@oversight_app.command("resume")
def resume(
    system: Annotated[str, typer.Argument(help="AI system ID.")],
    reason: Annotated[str, typer.Option(help="Why it may run again.")],
    by: Annotated[str, typer.Option(help="Who resumes it.")],
    db: DbOption = None,
    key: KeyOption = None,
) -> None:
    """Release the kill switch."""
    _flip_switch(system, halted=False, reason=reason, by=by, db=db, key=key)


@oversight_app.command("queue")
def queue(
    system: Annotated[str | None, typer.Argument(help="Only this AI system.")] = None,
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """List decisions waiting for human review."""
    from aims.oversight.queue import ReviewQueue

    log = _open_log(db, None)
    items = ReviewQueue(log.store.engine).pending(system)
    log.close()
    if fmt == "json":
        typer.echo(json.dumps(items, indent=2))
        return
    if fmt != "text":
        raise UsageError(f"unknown format {fmt!r}", hint="choose text or json")
    for item in items:
        typer.echo(
            f"{item['decision_index']}\t{item['system']}\t{item['queued_at']}\t{item['reason']}"
        )


@oversight_app.command("review")
def review(
    index: Annotated[int, typer.Argument(help="Log index of the queued decision.")],
    system: Annotated[str, typer.Option(help="AI system ID.")],
    reviewer: Annotated[str, typer.Option(help="Who reviews.")],
    verdict: Annotated[str, typer.Option(help="approve, override or escalate.")],
    rationale: Annotated[str, typer.Option(help="Why (mandatory for an override).")] = "",
    corrected: Annotated[
        str | None, typer.Option(help="Corrected output as JSON (for an override).")
    ] = None,
    db: DbOption = None,
    key: KeyOption = None,
) -> None:
    """Record a human verdict on a queued decision."""
    from aims.oversight import Verdict

    if verdict not in {v.value for v in Verdict}:
        raise UsageError(f"unknown verdict {verdict!r}", hint="approve, override or escalate")
    try:
        corrected_value = json.loads(corrected) if corrected is not None else None
    except ValueError as exc:
        raise UsageError(f"--corrected is not valid JSON: {exc}") from exc
    from aims.oversight import Oversight

    ov = Oversight(system, _open_log(db, key, must_exist=False))
    log_index = ov.review(
        index,
        reviewer=reviewer,
        verdict=verdict,
        rationale=rationale,
        corrected_output=corrected_value,
    )
    ov.close()
    from aims.cli.console import err_console

    err_console().print(f"verdict recorded (log entry {log_index})")


@oversight_app.command("stats")
def stats(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    fast_seconds: Annotated[
        float, typer.Option(help="Reviews faster than this count as possible rubber-stamping.")
    ] = 10.0,
) -> None:
    """Per system and per reviewer: share reviewed, approval/override rates, review times."""
    from aims.oversight.stats import oversight_stats

    log = _open_log(db, None)
    data = oversight_stats(log.store, fast_seconds=fast_seconds)
    log.close()
    if fmt == "json":
        typer.echo(json.dumps(data, indent=2, sort_keys=True))
        return
    if fmt != "text":
        raise UsageError(f"unknown format {fmt!r}", hint="choose text or json")
    typer.echo(_stats_text(data))


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}s"


def _stats_text(data: dict[str, Any]) -> str:
    fast = data["fast_seconds"]
    lines = [
        f"{'system':<24} {'decisions':>9} {'reviewed':>9} {'approved':>9} {'overridden':>10} "
        f"{'median':>8} {'<' + format(fast, 'g') + 's':>7} {'halts':>5}"
    ]
    for name, s in data["systems"].items():
        lines.append(
            f"{name:<24} {s['decisions']:>9} {_pct(s['reviewed_share']):>9} "
            f"{_pct(s['approval_rate']):>9} {_pct(s['override_rate']):>10} "
            f"{_num(s['median_review_seconds']):>8} {_pct(s['fast_review_share']):>7} "
            f"{s['kill_switch_events']:>5}"
        )
    if data["reviewers"]:
        lines += [
            "",
            f"{'reviewer':<24} {'reviews':>9} {'approved':>9} {'overridden':>10} "
            f"{'median':>8} {'<' + format(fast, 'g') + 's':>7}",
        ]
        for name, r in data["reviewers"].items():
            lines.append(
                f"{name:<24} {r['reviews']:>9} {_pct(r['approval_rate']):>9} "
                f"{_pct(r['override_rate']):>10} {_num(r['median_review_seconds']):>8} "
                f"{_pct(r['fast_review_share']):>7}"
            )
    if data["kill_switch_events"]:
        lines += ["", "kill switch:"]
        lines += [
            f"  {e['at']} {e['event']:<6} {e['system']} by {e['by']}: {e['reason']}"
            for e in data["kill_switch_events"]
        ]
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add the `log` and `oversight` command groups to the CLI."""
    app.add_typer(log_app, name="log")
    app.add_typer(oversight_app, name="oversight")
