"""`csvtool head` and `csvtool stats`."""

import click
import polars as pl


@click.group()
def main() -> None:
    """CSV helpers."""


@main.command()
@click.argument("path")
@click.option("-n", default=10)
def head(path: str, n: int) -> None:
    click.echo(pl.read_csv(path, n_rows=n))


@main.command()
@click.argument("path")
def stats(path: str) -> None:
    click.echo(pl.read_csv(path).describe())
