"""``scoring report``: a finished run's PDFs rendered again, resumably, here or on a Dask cluster,
signed when asked, and swapped into the run with its manifest in one step (``_swap_reports``):
the run folder never holds PDFs and a manifest that disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.markup import escape

from scoring.cli.messages import ERR, OUT, current_lang, step, t
from scoring.cli.signing import open_pdf_signer, sign_option, sign_staged

__all__ = ["report"]


@click.command()
@click.option("--run", "run_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Thư mục kết quả / a run's output folder.")
@click.option("--scheduler",
              help="Xuất trên cụm Dask có bộ lập lịch này, vd. tcp://HOST:8786 (mặc định: mục "
                   "reports.scheduler của scoring.toml, nếu không có thì trên máy này) / render on "
                   "the Dask cluster of this scheduler (default: reports.scheduler in "
                   "scoring.toml, else on this machine).")
@sign_option
def report(run_dir: Path, scheduler: str | None, sign_key: Path | None) -> None:
    """Xuất lại báo cáo PDF của một lần chạy / re-render the PDF reports of a finished run.

    Có thể tiếp tục: nếu lần trước bị dừng, các PDF đã xuất đúng được giữ lại / resumable: after
    an interruption, the PDFs already written correctly are kept and the rest are rendered.
    """
    from scoring.outputs.env_errors import environment_errors
    from scoring.outputs.manifest import read_manifest
    from scoring.outputs.out_guard import PARTIAL_REPORTS
    from scoring.outputs.run_folder import recover, reports_subdir, write_step
    from scoring.reports.render import last_written, render_run_reports
    from scoring.rules.loader import load_criteria_file
    from scoring.settings import check_scheduler, load_settings

    for note in recover(run_dir):
        ERR.print(f"[yellow]![/] {escape(note)}")
    manifest = read_manifest(run_dir)
    if manifest is None:
        ERR.print(f"[red]{t('no_run')}[/]: {escape(str(run_dir))}")
        sys.exit(2)
    settings = load_settings()
    scheduler = check_scheduler(scheduler, "--scheduler") if scheduler else settings.scheduler
    # before any work: a wrong passphrase changes nothing
    sign = open_pdf_signer(sign_key, settings.time_zone) if sign_key else None
    criteria = load_criteria_file(run_dir / manifest["criteria"]["path"])
    options = manifest.get("options", {})
    # PDFs are written into a hidden folder of the run that survives an interruption; the
    # journal in it lets the next call keep what was written. The run changes only once every
    # PDF is there, as a whole (_swap_reports).
    with environment_errors(run_dir, option="--run"):  # read-only, full disk: one line
        staging = run_dir / PARTIAL_REPORTS
        staging.mkdir(mode=0o700, exist_ok=True)
        journal = staging / ".journal.jsonl"
        with step("reports"):
            pdfs = render_run_reports(run_dir, criteria, out_dir=staging, lang=current_lang(),
                                      agency=options.get("agency"), place=options.get("place"),
                                      workers=settings.workers, scheduler=scheduler,
                                      scheduler_timeout=settings.connect_timeout, journal=journal)
        write_step("reports")
        resumed = sum(w.skipped for w in last_written())
        if resumed:
            ERR.print(t("resumed", n=resumed, total=len(pdfs)))
        names = sorted(p.relative_to(staging).as_posix() for p in pdfs)
        for leftover in {p for p in staging.rglob("*") if p.is_file()} - {staging / n for n in names}:
            leftover.unlink()  # the journal, PDFs of other units
        sub = reports_subdir(current_lang())
        if sign is not None:
            staging = sign_staged(staging, names, sign)
        manifest = manifest | {"options": options | {"lang": current_lang()}}
        _swap_reports(run_dir, staging, manifest, names, sub)
    for n in names:
        OUT.print(f"  {sub}/{n}")
    OUT.print(f"{t('done')} {escape(str(run_dir / sub))}")


def _swap_reports(run_dir: Path, staging: Path, manifest: dict, names: list[str], sub: str) -> None:
    """A new run folder: the files kept (hard links), the new PDFs in ``sub`` (the reports of
    one language: those of the other languages are kept), the manifest last; it replaces the
    run in one step, so the PDFs and the manifest always agree."""
    from scoring.outputs.manifest import write_manifest
    from scoring.outputs.out_guard import PARTIAL_REPORTS
    from scoring.outputs.run_folder import atomic_folder, is_report_of, link_or_copy, write_step

    lang = manifest["options"]["lang"]
    old_reports = {o["path"] for o in manifest["outputs"] if is_report_of(o["path"], lang)}
    kept = [o["path"] for o in manifest["outputs"] if o["path"] not in old_reports]
    new = [f"{sub}/{n}" for n in names]
    with atomic_folder(run_dir, replace=True) as tmp:
        for path in sorted(p for p in run_dir.rglob("*") if p.is_file()):
            rel = path.relative_to(run_dir)
            if (rel.as_posix() not in old_reports and rel.as_posix() != "manifest.json"
                    and rel.parts[0] != PARTIAL_REPORTS):
                link_or_copy(path, tmp / rel)  # also files of the user's, never lost
        write_step("files kept")
        for n, target in zip(names, new, strict=True):  # staged PDFs stay until the old run goes
            link_or_copy(staging / n, tmp / target)
        write_step("reports linked")
        paths = [tmp / p for p in kept] + [tmp / p for p in new]
        others = [p for p in manifest.get("reports", []) if p in kept]
        write_manifest(tmp, manifest | {"reports": sorted(others + new)}, paths)
        write_step("manifest")
